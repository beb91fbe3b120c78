/**
 * The engine host with a real worker thread (the protocol peer): messages both ways, the
 * watchdog that restarts a blocked worker and names the rule, and a stop that waits for the thread.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { once } from 'events';
import { RealClock } from '../../src/clock';
import { EngineHost, EngineHostEvents, EngineWorkerData } from '../../src/host/EngineHost';
import type { FromEngine } from '../../src/engine/messages';
import { PROTOCOL_PEER_WORKER } from '../addon/harness';

let dir: string;
let host: EngineHost | undefined;
const saved: EngineWorkerData['saved'] = {};

function workerData(): EngineWorkerData {
  return {
    rulesFolder: dir,
    gatewayUrl: 'http://127.0.0.1:8080',
    accessToken: null,
    acceptSelfSigned: false,
    timeZone: 'UTC',
    place: null,
    loopGuardRate: 60,
    saved: JSON.parse(JSON.stringify(saved)),
    heartbeatMs: 50,
  };
}

function makeHost(heartbeatTimeoutMs = 2000): EngineHost {
  host = new EngineHost({
    script: PROTOCOL_PEER_WORKER,
    workerData,
    clock: new RealClock('UTC'),
    heartbeatTimeoutMs,
    startupTimeoutMs: 2000,
    stopTimeoutMs: 1000,
    env: { ...process.env, PEER_JOURNAL: path.join(dir, 'journal.jsonl') },
  });
  return host;
}

function nextMessage(engine: EngineHost, type: FromEngine['type']): Promise<FromEngine> {
  return new Promise((resolve) => {
    const listener = (message: FromEngine) => {
      if (message.type !== type) return;
      engine.off('message', listener);
      resolve(message);
    };
    engine.on('message', listener);
  });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-host-'));
  for (const key of Object.keys(saved)) delete saved[key];
});

afterEach(async () => {
  await host?.stop();
  host = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('EngineHost', () => {
  it('relays the rules the worker reports and the rule changes it confirms', async () => {
    const engine = makeHost();
    const rules = nextMessage(engine, 'rules');
    engine.start();
    expect((await rules).type).toBe('rules');
    const changed = nextMessage(engine, 'ruleChanged');
    engine.send({ type: 'setEnabled', ruleId: 'porch-light', enabled: false });
    expect(await changed).toMatchObject({ rule: { id: 'porch-light', enabled: false } });
  });

  it('resolves a setting the engine accepts and rejects one it refuses, with its reason', async () => {
    const engine = makeHost();
    const rules = nextMessage(engine, 'rules');
    engine.start();
    await rules;
    await expect(engine.setSetting('morning-wake', 'alarmTime', '07:00')).resolves.toBeUndefined();
    await expect(engine.setSetting('morning-wake', 'alarmTime', '7 am')).rejects.toThrow(
      'is not HH:MM'
    );
  });

  it('restarts a worker whose heartbeats stop and names the rule that blocked it', async () => {
    const engine = makeHost(300);
    const rules = nextMessage(engine, 'rules');
    engine.start();
    await rules;
    const stalled = once(engine, 'stalled') as Promise<[EngineHostEvents['stalled']]>;
    engine.send({ type: 'runRule', ruleId: 'blocker' });
    const [report] = await stalled;
    expect(report).toMatchObject({ ruleId: 'blocker', method: 'action' });
    expect(report.silentMs).toBeGreaterThanOrEqual(300);
    // What the add-on does on `stalled`: the new worker must start with the rule switched off.
    saved.blocker = { enabled: false };
    const restarted = (await nextMessage(engine, 'rules')) as Extract<
      FromEngine,
      { type: 'rules' }
    >;
    expect(restarted.rules.find((r) => r.id === 'blocker')?.enabled).toBe(false);
  });

  it('stop() resolves only after the worker thread has ended', async () => {
    const engine = makeHost();
    const rules = nextMessage(engine, 'rules');
    engine.start();
    await rules;
    await engine.stop();
    expect(engine.running).toBe(false);
    const lines = fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toEqual({ type: 'stop' });
  });
});
