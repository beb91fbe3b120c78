/**
 * The real engine thread with real rule files: the standalone runner (engine worker, watchdog,
 * saved state) against the simulator on 127.0.0.1, on the wall clock, as a home would run it.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { RealClock } from '../../src/clock';
import type { JsonValue } from '../../src/protocol/gateway';
import type { FromEngine, RuleInfo } from '../../src/engine/messages';
import { seedHome, SimulatedHome, SimulatorServer } from '../../src/simulator';
import { runStandalone, StandaloneRunner } from '../../src/standalone/runStandalone';
import { TOKEN } from './stack';

export interface EngineThread {
  folder: string;
  home: SimulatedHome;
  stateFile: string;
  messages: FromEngine[];
  /** Resolves with the first message (from the start) that passes `test`. */
  waitFor<T extends FromEngine>(test: (m: FromEngine) => m is T, timeoutMs?: number): Promise<T>;
  waitFor(test: (m: FromEngine) => boolean, timeoutMs?: number): Promise<FromEngine>;
  /** The latest state the engine reported of rule `id`. */
  rule(id: string): RuleInfo | undefined;
  /** How many times rule `id` fired so far. */
  firings(id: string): number;
  /** The enabled flag saved in the state file for `id`, once the runner has written it. */
  savedEnabled(id: string): boolean | undefined;
  /** Every log line and note, for messages the runner prints. */
  logs(): string[];
  /** A RuleThing's setting write, as the served Web Thing makes it. */
  setSetting(ruleId: string, name: string, value: JsonValue): Promise<void>;
  stop(): Promise<void>;
}

/** Writes `files` (name -> source) into a fresh rules folder and starts the runner on it. */
export async function startEngineThread(
  files: Record<string, string>,
  engine: { heartbeatTimeoutMs?: number; ruleCodeLimitMs?: number } = {}
): Promise<EngineThread> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-faults-'));
  const folder = path.join(dir, 'rules');
  fs.mkdirSync(folder);
  for (const [name, source] of Object.entries(files)) {
    fs.writeFileSync(path.join(folder, name), source);
  }
  const stateFile = path.join(dir, 'state.json');
  const clock = new RealClock('Europe/Berlin');
  const home = seedHome(clock);
  const server = new SimulatorServer({ token: TOKEN, home });
  await server.start();
  const messages: FromEngine[] = [];
  const rules = new Map<string, RuleInfo>();
  const waiters = new Set<() => void>();
  let runner: StandaloneRunner | undefined;
  runner = await runStandalone({
    gatewayUrl: server.url,
    token: TOKEN,
    rulesFolder: folder,
    timeZone: 'Europe/Berlin',
    place: { latitude: 52.52, longitude: 13.4 },
    acceptSelfSigned: false,
    loopGuardRate: 600,
    stateFile,
    writeTypes: false,
    clock,
    engine,
    onMessage: (message) => {
      messages.push(message);
      if (message.type === 'rules') for (const rule of message.rules) rules.set(rule.id, rule);
      if (message.type === 'ruleChanged') rules.set(message.rule.id, message.rule);
      for (const wake of [...waiters]) wake();
    },
  });

  const waitFor = (test: (m: FromEngine) => boolean, timeoutMs = 30_000) =>
    new Promise<FromEngine>((resolve, reject) => {
      const look = (): boolean => {
        const found = messages.find(test);
        if (!found) return false;
        waiters.delete(look);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(look);
        reject(new Error(`no such engine message within ${timeoutMs} ms; got:\n${summary()}`));
      }, timeoutMs);
      if (!look()) waiters.add(look);
    });
  const logs = () =>
    messages.flatMap((m) => (m.type === 'log' ? [`${m.level}: ${m.message}`] : []));
  const summary = () => logs().slice(-30).join('\n');

  return {
    folder,
    home,
    stateFile,
    messages,
    waitFor: waitFor as EngineThread['waitFor'],
    rule: (id) => rules.get(id),
    firings: (id) => messages.filter((m) => m.type === 'fired' && m.record.ruleId === id).length,
    savedEnabled: (id) => {
      if (!fs.existsSync(stateFile)) return undefined;
      const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as {
        rules: Record<string, { enabled?: boolean }>;
      };
      return saved.rules[id]?.enabled;
    },
    logs,
    setSetting: (ruleId, name, value) => runner!.setSetting(ruleId, name, value),
    stop: async () => {
      await runner?.stop();
      runner = undefined;
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A rule that fires every `period`, the healthy neighbour of every careless rule. */
export const HEALTHY = (period: string) => `import { HeartBeat, Rule } from 'rule-things';
export default class HealthyRule extends Rule {
  triggers() { return [new HeartBeat('${period}')]; }
  action() { this.things.Porch_Light.on = !this.things.Porch_Light.on; }
}
`;
