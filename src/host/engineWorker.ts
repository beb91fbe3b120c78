/**
 * The engine thread: loads the rules folder, connects to the gateway with the Web Thing API
 * client, runs the rules, and speaks src/engine/messages.ts with the main thread (the add-on's
 * adapter, or the standalone runner), which restarts it if a rule blocks it.
 */
import { parentPort, workerData } from 'worker_threads';
import { createRuleChecker } from '../authoring/ruleChecker';
import { RealClock } from '../clock';
import type { GatewayConnection } from '../protocol/gateway';
import { STANDBY } from '../engine/messages';
import type {
  BeginEngine,
  EngineWorkerData,
  FromEngine,
  RuleInfo,
  ToEngine,
} from '../engine/messages';
import { containRuleFaults } from '../engine/FaultContainment';
import { RATE_WINDOW_MS } from '../engine/LoopGuard';
import { RuleFolder } from '../engine/RuleFolder';
import { RuleSystem } from '../engine/RuleSystem';
import { memoryHogs, memoryReport, MemoryLedger } from '../engine/MemoryLedger';
import { weekAhead } from '../engine/preview';
import { RunningRuleProbe } from '../engine/RunningRuleProbe';
import { WebThingClient } from '../webthing';

/** Where messages go: the worker's parentPort, or anything with the same two methods. */
export interface EnginePort {
  postMessage(message: FromEngine): void;
  on(event: 'message', listener: (message: ToEngine) => void): unknown;
}

/** Ids of the add-on's ready rules start with this ("ready-dusk-to-time"). */
export const READY_PREFIX = 'ready-';

const NO_TOKEN =
  'waiting for an access token: create one in the gateway under Settings → Developer and paste it in the Rule Things settings';
// Solar events need a place; until one is set they are computed for 0°, 0° and the log says so.
const NO_PLACE = { latitude: 0, longitude: 0 };

/**
 * Runs the engine until a `stop` message; resolves once everything is released. `guardThread`
 * (in the engine's own thread only) makes the thread contain rule faults: see guardThread().
 */
export async function runEngine(
  data: EngineWorkerData,
  port: EnginePort,
  guardThread = false
): Promise<void> {
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
  });
  const shown = (rule: RuleInfo): RuleInfo => (gateway ? rule : { ...rule, status: NO_TOKEN });
  system.on('ruleChanged', (rule) => post({ type: 'ruleChanged', rule: shown(rule) }));
  system.on('ruleRemoved', ({ ruleId }) => post({ type: 'ruleRemoved', ruleId }));
  system.on('fired', (record) => post({ type: 'fired', record }));
  system.on('occurrence', (occurrence) => post({ type: 'occurrence', ...occurrence }));
  system.on('log', ({ level, message }) => post({ type: 'log', level, message }));
  system.on('restoreList', ({ ruleId, restore }) => post({ type: 'restoreList', ruleId, restore }));
  system.on('switchedOff', ({ ruleId, reason }) => post({ type: 'switchedOff', ruleId, reason }));
  if (guardThread) containFaults(data, system, log);

  // Type-checked in the checker's own thread, at start and on every change alike: the compiler
  // takes seconds (more on a Pi) that the engine thread never waits for, and its findings are
  // warnings in the rules' status, never a reason not to run.
  const checker = createRuleChecker(data.rulesFolder);
  const folder = new RuleFolder(system, data.rulesFolder, clock, {
    saved: data.saved,
    setAside: data.setAside,
    failedToLoad: (file, setAside) => post({ type: 'setAside', file, setAside }),
    log: (message, level = 'info') => log(level, message),
    check: (file) => checker.check(file),
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

  // Started before the files load, so memory a file's top-level code keeps is charged to it.
  const ledger = new MemoryLedger(data.rulesFolder);
  ledger.start();
  let sampling = false;
  const reportMemory = (): void => {
    if (sampling) return;
    sampling = true;
    const ruleIds = (file: string): string[] =>
      system.rules().flatMap((rule) => (rule.file === file ? [rule.id] : []));
    void memoryReport(ledger, data.memoryWatchMb, ruleIds)
      .then((report) => {
        // A leak stopped here, well before the limit, does not end the engine and every rule with it.
        if (data.memoryLimitMb !== undefined) {
          for (const [ruleId, reason] of memoryHogs(report, data.memoryLimitMb))
            system.switchOff(ruleId, reason);
        }
        post({ type: 'memory', ...report });
      })
      .finally(() => (sampling = false));
  };
  // Shipped with the add-on and replaced only by an update of it (which restarts the engine).
  const ready = data.readyRulesFolder
    ? new RuleFolder(system, data.readyRulesFolder, clock, {
        saved: data.saved,
        log: (message) => log('info', `ready rules: ${message}`),
        idPrefix: READY_PREFIX,
      })
    : undefined;
  // A heartbeat after each file: a file whose top level blocks is caught within the heartbeat
  // timeout (or the startup timeout, for the first file), not the startup timeout for them all.
  await folder.loadAll(() => post({ type: 'heartbeat' }));
  await ready?.loadAll(() => post({ type: 'heartbeat' }));
  post({ type: 'rules', rules: system.rules().map(shown) });
  // The host's watchdog allows its startup timeout until the first heartbeat, then only its
  // heartbeat timeout. Loading is done, so say so now: beating only once heartbeatMs has passed
  // would leave a rule that blocks the thread right away (on the first snapshot, a press, a
  // catch-up) under the startup timeout, stopped after 20–30 s instead of seconds.
  post({ type: 'heartbeat' });
  const heartbeat = setInterval(() => {
    post({ type: 'heartbeat' });
    reportMemory();
  }, data.heartbeatMs);
  folder.watch();
  let stopTypes: (() => void) | undefined;
  if (gateway) {
    void system.start().then(
      async () => {
        post({ type: 'rules', rules: system.rules().map(shown) });
        // Editors opened on the rules folder complete and check the gateway's things.
        if (!data.writeTypes) return;
        const { keepThingTypesCurrent } = await import('../authoring/keepTypesCurrent');
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
  ledger.stop();
  stopTypes?.();
  folder.close();
  await checker.close();
  await system.stop();
  await gateway?.close();
  post({ type: 'stopped' });
}

/**
 * Before any rule file runs: the probe follows rule code for the host's watchdog, and an error
 * that escapes rule code (or an attempt to end the process) is charged to its rule, not fatal.
 */
function containFaults(
  data: EngineWorkerData,
  system: RuleSystem,
  log: (level: 'error', message: string) => void
): void {
  if (data.probe) new RunningRuleProbe(data.probe).watch();
  exit = containRuleFaults({
    rulesFolder: data.rulesFolder,
    fault: (scope, description) => system.fault(scope, description),
    engineError: (description) =>
      log('error', `an error escaped the engine's own code (it keeps running): ${description}`),
  }).exit;
}

// The process's real exit, for the thread's own fatal error; rule code gets a refusing one.
let exit = (code: number): void => process.exit(code);

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

if (parentPort && workerData) {
  const port = parentPort;
  // A spare (see STANDBY) has loaded this code and becomes the engine when the host needs one.
  if ((workerData as typeof STANDBY).standby === STANDBY.standby) {
    port.once('message', (begin: BeginEngine) => runThread(port, begin.data));
  } else if ((workerData as EngineWorkerData).rulesFolder) {
    runThread(port, workerData as EngineWorkerData);
  }
}

function runThread(port: NonNullable<typeof parentPort>, data: EngineWorkerData): void {
  runEngine(data, port, true).then(
    () => port.close(),
    (error: unknown) => {
      port.postMessage({
        type: 'log',
        level: 'error',
        message: `the rule engine stopped: ${(error as Error).message}`,
      } satisfies FromEngine);
      exit(1);
    }
  );
}
