/**
 * The engine thread: loads the rules folder, connects to the gateway with the Web Thing API
 * client, runs the rules, and speaks src/engine/messages.ts with the main thread (the add-on's
 * adapter, or the standalone runner), which restarts it if a rule blocks it.
 */
import { parentPort, workerData } from 'worker_threads';
import { RealClock } from './clock';
import type { GatewayConnection } from './engine/gateway';
import type { EngineWorkerData, FromEngine, RuleInfo, ToEngine } from './engine/messages';
import { RATE_WINDOW_MS } from './engine/LoopGuard';
import { RuleFolder } from './engine/RuleFolder';
import { RuleSystem } from './engine/RuleSystem';
import { weekAhead } from './engine/preview';
import { RunningRuleProbe } from './engine/RunningRuleProbe';
import { WebThingClient } from './webthing';

/** Where messages go: the worker's parentPort, or anything with the same two methods. */
export interface EnginePort {
  postMessage(message: FromEngine): void;
  on(event: 'message', listener: (message: ToEngine) => void): unknown;
}

const NO_TOKEN =
  'waiting for an access token: create one in the gateway under Settings → Developer and paste it in the Rule Things settings';
// Solar events need a place; until one is set they are computed for 0°, 0° and the log says so.
const NO_PLACE = { latitude: 0, longitude: 0 };

/** Runs the engine until a `stop` message; resolves once everything is released. */
export async function runEngine(data: EngineWorkerData, port: EnginePort): Promise<void> {
  const post = (message: FromEngine): void => port.postMessage(message);
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string): void =>
    post({ type: 'log', level, message });
  const clock = new RealClock(data.timeZone);
  const gateway: GatewayConnection | undefined = data.accessToken
    ? new WebThingClient({
        gatewayUrl: data.gatewayUrl,
        token: data.accessToken,
        acceptSelfSigned: data.acceptSelfSigned,
        clock,
        logger: log,
      })
    : undefined;
  if (!data.place) log('warn', 'latitude and longitude are not set: solar events use 0°, 0°');
  const system = new RuleSystem({
    gateway: gateway ?? offline(),
    clock,
    place: data.place ?? NO_PLACE,
    loopGuard: { maxFiresPerWindow: data.loopGuardRate, windowMs: RATE_WINDOW_MS },
    probe: new RunningRuleProbe(data.probe),
  });
  const shown = (rule: RuleInfo): RuleInfo => (gateway ? rule : { ...rule, status: NO_TOKEN });
  system.on('ruleChanged', (rule) => post({ type: 'ruleChanged', rule: shown(rule) }));
  system.on('ruleRemoved', ({ ruleId }) => post({ type: 'ruleRemoved', ruleId }));
  system.on('fired', (record) => post({ type: 'fired', record }));
  system.on('occurrence', (occurrence) => post({ type: 'occurrence', ...occurrence }));
  system.on('log', ({ level, message }) => post({ type: 'log', level, message }));

  // Files are type-checked when they change, not at start: the compiler costs seconds on a Pi,
  // and a file that worked before the restart does not need it.
  let checker: ((file: string) => Promise<string | undefined>) | undefined;
  let watching = false;
  const folder = new RuleFolder(system, data.rulesFolder, clock, {
    saved: data.saved,
    log: (message) => log('info', message),
    check: async (file) => {
      if (!watching) return undefined;
      if (!checker) {
        const { createRuleChecker } = await import('./authoring/ruleChecker');
        checker = createRuleChecker(data.rulesFolder, () => gateway?.things() ?? [], {
          zone: data.timeZone,
          place: data.place ?? undefined,
        });
      }
      return checker(file);
    },
  });
  const stopped = new Promise<void>((resolve) => {
    port.on('message', (message) => {
      void handle(message).then((done) => done && resolve());
    });
  });

  async function handle(message: ToEngine): Promise<boolean> {
    try {
      switch (message.type) {
        case 'setEnabled':
          await system.setEnabled(message.ruleId, message.enabled);
          return false;
        case 'setSetting':
          try {
            system.setSetting(message.ruleId, message.name, message.value);
            post({ type: 'reply', requestId: message.requestId });
          } catch (error) {
            post({ type: 'reply', requestId: message.requestId, error: (error as Error).message });
          }
          return false;
        case 'runRule':
          system.runRule(message.ruleId);
          return false;
        case 'preview':
          try {
            const occurrences = weekAhead(system, message.fromMs, message.days);
            post({ type: 'preview', requestId: message.requestId, occurrences });
          } catch (error) {
            const reason = (error as Error).message;
            post({ type: 'preview', requestId: message.requestId, occurrences: [], error: reason });
          }
          return false;
        case 'stop':
          return true;
      }
    } catch (error) {
      log('warn', `${message.type} refused: ${(error as Error).message}`);
    }
    return false;
  }

  await folder.loadAll();
  post({ type: 'rules', rules: system.rules().map(shown) });
  // The host's watchdog allows its startup timeout until the first heartbeat, then only its
  // heartbeat timeout. Loading is done, so say so now: beating only once heartbeatMs has passed
  // would leave a rule that blocks the thread right away (on the first snapshot, a press, a
  // catch-up) under the startup timeout, stopped after 20–30 s instead of seconds.
  post({ type: 'heartbeat' });
  const heartbeat = setInterval(() => post({ type: 'heartbeat' }), data.heartbeatMs);
  folder.watch();
  watching = true;
  let stopTypes: (() => void) | undefined;
  if (gateway) {
    void system.start().then(
      async () => {
        post({ type: 'rules', rules: system.rules().map(shown) });
        // Editors opened on the rules folder complete and check the gateway's things.
        if (!data.writeTypes) return;
        const { keepThingTypesCurrent } = await import('./authoring/keepTypesCurrent');
        stopTypes = keepThingTypesCurrent(gateway, data.rulesFolder, log, {
          clock,
          source: data.gatewayUrl,
        });
      },
      (error: unknown) => log('error', `could not start the rules: ${(error as Error).message}`)
    );
  }

  await stopped;
  clearInterval(heartbeat);
  stopTypes?.();
  folder.close();
  await system.stop();
  await gateway?.close();
  post({ type: 'stopped' });
}

/** The gateway of an engine without a token: it lists its rules but never connects. */
function offline(): GatewayConnection {
  const never: GatewayConnection = {
    connect: () => new Promise<void>(() => undefined),
    close: async () => undefined,
    things: () => [],
    setProperty: () => Promise.reject(new Error(NO_TOKEN)),
    requestAction: () => Promise.reject(new Error(NO_TOKEN)),
    on: () => never,
    off: () => never,
  };
  return never;
}

if (parentPort && workerData && (workerData as EngineWorkerData).rulesFolder) {
  const port = parentPort;
  runEngine(workerData as EngineWorkerData, port).then(
    () => port.close(),
    (error: unknown) => {
      port.postMessage({
        type: 'log',
        level: 'error',
        message: `the rule engine stopped: ${(error as Error).message}`,
      } satisfies FromEngine);
      process.exit(1);
    }
  );
}
