/**
 * The standalone runner's composition root: the engine in its worker thread (the same split as in
 * the add-on, with the same watchdog), the saved on/off states and settings, and the rules served
 * as Web Things.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { EngineHost, EngineHostOptions } from '../host/EngineHost';
import { describeOutOfMemory } from '../host/EngineMemory';
import { StateStore } from '../host/StateStore';
import type { Clock } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import type { EngineWorkerData, FromEngine } from '../engine/messages';
import { ENGINE_HEARTBEAT_MS, engineWorkerEntry } from '../host/engineWorkerEntry';
import { isLoopback, isWildcard } from './RequestGuard';
import { RuleThingServer, ServeOptions } from './RuleThingServer';

export interface StandaloneOptions {
  gatewayUrl: string;
  token: string;
  rulesFolder: string;
  timeZone: string;
  place: EngineWorkerData['place'];
  acceptSelfSigned: boolean;
  loopGuardRate: number;
  stateFile: string;
  /** Keep things.d.ts and tsconfig.json current in the rules folder (a user's folder, not examples/). */
  writeTypes: boolean;
  /** Where and to whom to serve the rules as Web Things; none when undefined. */
  serve?: ServeOptions;
  clock: Clock;
  /** The watchdog's timeouts and the memory limit (tests and the bench change them). */
  engine?: Pick<
    EngineHostOptions,
    'heartbeatTimeoutMs' | 'ruleCodeLimitMs' | 'startupTimeoutMs' | 'maxHeapMb'
  >;
  /** Every engine message and every note of the runner, for the console. */
  onMessage: (message: FromEngine) => void;
}

export interface StandaloneRunner {
  /** The address the RuleThings are served at, if served. */
  servedAt?: string;
  /** A write to a RuleThing's setting, as the served Web Thing makes it: the engine's word, then saved. */
  setSetting(ruleId: string, name: string, value: JsonValue): Promise<void>;
  stop(): Promise<void>;
}

export async function runStandalone(options: StandaloneOptions): Promise<StandaloneRunner> {
  const note = (level: 'info' | 'warn', message: string): void =>
    options.onMessage({ type: 'log', level, message });
  fs.mkdirSync(path.dirname(options.stateFile), { recursive: true });
  // A failed write never rejects: it is reported here and retried until the disk takes it.
  const store = new StateStore(options.stateFile, options.clock, (problem) =>
    note(
      problem ? 'warn' : 'info',
      problem ?? `the rule states are saved again in ${options.stateFile}`
    )
  );
  const problem = store.load();
  if (problem) note('warn', problem);

  const entry = engineWorkerEntry();
  const engine = new EngineHost({
    script: entry.script,
    execArgv: entry.execArgv,
    clock: options.clock,
    warmSpare: true,
    ...options.engine,
    workerData: () => ({
      rulesFolder: options.rulesFolder,
      gatewayUrl: options.gatewayUrl,
      accessToken: options.token,
      acceptSelfSigned: options.acceptSelfSigned,
      timeZone: options.timeZone,
      place: options.place,
      loopGuardRate: options.loopGuardRate,
      saved: store.all(),
      heartbeatMs: ENGINE_HEARTBEAT_MS,
      writeTypes: options.writeTypes,
    }),
  });
  const setSetting = async (ruleId: string, name: string, value: JsonValue): Promise<void> => {
    await engine.setSetting(ruleId, name, value);
    await store.setSetting(ruleId, name, value);
  };
  const server = options.serve
    ? new RuleThingServer({
        setEnabled: (ruleId, enabled) => {
          void store.setEnabled(ruleId, enabled);
          engine.send({ type: 'setEnabled', ruleId, enabled });
        },
        setSetting,
        run: (ruleId) => engine.send({ type: 'runRule', ruleId }),
      })
    : undefined;

  engine.on('message', (message) => {
    options.onMessage(message);
    switch (message.type) {
      case 'rules':
        server?.showRules(message.rules);
        return;
      case 'ruleChanged':
        server?.showRule(message.rule);
        return;
      case 'ruleRemoved':
        server?.dropRule(message.ruleId);
        return;
      case 'fired':
        server?.fired(message.record);
        store.setLastFired(message.record.ruleId, message.record.at);
        return;
      case 'switchedOff':
        void store.setEnabled(message.ruleId, false);
        note('warn', `${message.ruleId} was ${message.reason}`);
        return;
      case 'occurrence':
        // Saved at once, as in the add-on: the next start runs an alarm missed meanwhile, once.
        void store.setOccurrence(message.ruleId, message.trigger, message.at);
        return;
    }
  });
  engine.on('stalled', ({ ruleId, file, method, silentMs }) => {
    const seconds = Math.round(silentMs / 1000);
    if (file) {
      note(
        'warn',
        `rule file ${file} kept the engine busy for ${seconds} s while loading: the engine restarted without it, and it is set aside until the file changes`
      );
      return;
    }
    // Switched off before the new worker reads the saved state, so the blocking rule does not run again.
    if (ruleId) void store.setEnabled(ruleId, false);
    note(
      'warn',
      ruleId
        ? `${ruleId} kept the engine busy for ${seconds} s${method ? ` in ${method}` : ''}: it was switched off and the engine restarted`
        : `the engine stopped answering for ${seconds} s and was restarted`
    );
  });
  engine.on('outOfMemory', (event) => {
    // Switched off before the new worker reads the saved state, so the leak does not start again.
    for (const ruleId of event.culprit?.ruleIds ?? []) void store.setEnabled(ruleId, false);
    note(
      'warn',
      describeOutOfMemory(event, (ruleId) => ruleId)
    );
  });
  engine.on('exited', ({ code, restartInMs }) =>
    note('warn', `the engine stopped (exit code ${code}); restarting in ${restartInMs} ms`)
  );
  engine.start();

  let servedAt: string | undefined;
  if (server && options.serve) {
    const { host, tls } = options.serve;
    const port = await server.start(options.serve);
    // On every address, the machine's name is one a client can use (and the Host check accepts).
    const shown = isWildcard(host) ? os.hostname() : host.includes(':') ? `[${host}]` : host;
    servedAt = `${tls ? 'https' : 'http'}://${shown}:${port}`;
    if (!tls && !isLoopback(host)) {
      note(
        'warn',
        `the RuleThings are served on ${host} over plain http: anyone who can watch this network can read the serve token and then switch and run your rules. Serve them on a network you trust, or give --tls-cert and --tls-key`
      );
    }
  }
  return {
    servedAt,
    setSetting,
    async stop() {
      await server?.stop();
      await engine.stop();
      await store.flush();
    },
  };
}
