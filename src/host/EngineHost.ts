/**
 * Runs the rule engine in a worker thread and speaks src/engine/messages.ts with it, so that a
 * rule that blocks its event loop cannot freeze the RuleThings: a watchdog terminates a worker
 * whose rule code has run without a break past its limit (2 s), or that went silent (no
 * heartbeat), names the rule it was running, and starts a fresh one.
 */
import { Worker } from 'worker_threads';
import type { Cancel, Clock } from '../clock';
import { JsonValue, PayloadEmitter } from '../protocol/gateway';
import { fileFingerprint } from '../engine/loadRules';
import { STANDBY } from '../engine/messages';
import type {
  BeginEngine,
  EngineWorkerData,
  FromEngine,
  PreviewOccurrence,
  SetAsideFile,
  ToEngine,
} from '../engine/messages';
import { createProbeBuffer, readProbe, readRunningFor } from '../engine/RunningRuleProbe';
import type { Recorded } from '../engine/WhilePhase';
import { ENGINE_HEAP_LIMIT_MB, RULE_CODE_LIMIT_MS } from './engineWorkerEntry';
import { EngineMemory, OutOfMemory } from './EngineMemory';
import { EngineRequests } from './EngineRequests';

export type { EngineWorkerData };

export interface EngineHostOptions {
  /** The worker entry: lib/engine/worker.js in the add-on, a protocol peer in tests. */
  script: string;
  /** Read at every (re)start, so a restarted worker gets the latest saved state. */
  workerData: () => Omit<EngineWorkerData, 'probe' | 'setAside'>;
  clock: Clock;
  /** Silence after which the worker counts as blocked. */
  heartbeatTimeoutMs?: number;
  /**
   * How long one rule's code (or a file's top level) may run without a break before the worker
   * counts as blocked by it (default RULE_CODE_LIMIT_MS).
   */
  ruleCodeLimitMs?: number;
  /** Loading and compiling rules may take a while on a Pi; the first heartbeat gets this long. */
  startupTimeoutMs?: number;
  /** How long `stop()` waits for `stopped` before it terminates the worker. */
  stopTimeoutMs?: number;
  /** How long a setting write waits for the engine's reply. */
  replyTimeoutMs?: number;
  execArgv?: string[];
  /**
   * The worker's memory limit in MB, for its JavaScript heap and for its whole footprint (heap plus
   * Buffers); a rule that leaks ends the worker there, not the add-on (default ENGINE_HEAP_LIMIT_MB).
   */
  maxHeapMb?: number;
  /** The worker's environment; Node's default is a copy of process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Keep a spare worker that has loaded the engine's code (the script must support STANDBY), so
   * that a restart after a fault starts at loading the rules: the other rules miss about a second
   * less. Costs the memory of one idle thread.
   */
  warmSpare?: boolean;
}

/** Events of the host; every payload is plain data. */
export interface EngineHostEvents {
  /** Every message from the engine except heartbeats, replies and `stopped`, which the host consumes. */
  message: FromEngine;
  /**
   * One rule's code ran past its limit, or the worker stopped sending heartbeats; it is terminated
   * and started again. `ruleId` is the rule whose code was running, or `file` the rule file whose
   * top level was (it is set aside); `silentMs`, how long that code ran or the worker was silent.
   */
  stalled: { ruleId?: string; file?: string; method?: string; silentMs: number };
  /** The worker crossed its memory limit and was ended (and is started again); `culprit` is the rule to switch off. */
  outOfMemory: OutOfMemory;
  /** The worker ended without being asked to; it is started again after `restartInMs`. */
  exited: { code: number; restartInMs: number };
}

const MAX_BACKOFF_MS = 60_000;
// How often the host reads how long rule code has been running.
const RULE_CODE_CHECK_MS = 100;

export class EngineHost extends PayloadEmitter<EngineHostEvents> {
  private worker?: Worker;
  private stopping = false;
  private readonly requests: EngineRequests;
  private cancelWatchdog?: Cancel;
  private cancelRuleCodeWatch?: Cancel;
  private cancelRestart?: Cancel;
  // Written by the engine thread as it enters rule code; read when it goes silent.
  private probe?: SharedArrayBuffer;
  private lastHeartbeat: { runningRule?: string; runningMethod?: string; at: number } = { at: 0 };
  private backoffMs = 1000;
  private startedAt = 0;
  private exitPromise?: Promise<void>;
  // A stalled worker being terminated while its successor starts; `stop()` waits for it too.
  private terminating?: Promise<unknown>;
  private readonly memory: EngineMemory;
  // rule file -> why it may not load until it changes (it threw, exited or blocked while loading)
  private readonly setAside: Record<string, SetAsideFile> = {};
  // how often the worker beats (from its workerData); a setting write may wait past one beat
  private heartbeatMs = 1000;
  // when the worker last sent anything: a sign that its event loop runs
  private lastHeardAt = 0;
  // While rule id -> what it will put back, for a worker that starts after one ended in the phase
  private readonly restore = new Map<string, Recorded[]>();
  // whether the current worker has loaded its rules (sent `rules`) and can take a setting
  private ready = false;
  // a worker that has loaded the engine's code and waits for BeginEngine (see warmSpare)
  private spare?: Worker;

  constructor(private readonly options: EngineHostOptions) {
    super();
    this.memory = new EngineMemory(options.maxHeapMb ?? ENGINE_HEAP_LIMIT_MB);
    this.requests = new EngineRequests({
      clock: options.clock,
      replyTimeoutMs: options.replyTimeoutMs ?? 5000,
      worker: () => this.worker,
      ready: () => this.ready,
      lastHeardAt: () => this.lastHeardAt,
      heartbeatMs: () => this.heartbeatMs,
    });
  }

  get running(): boolean {
    return this.worker !== undefined;
  }

  start(): void {
    if (this.worker || this.stopping) return;
    const { clock } = this.options;
    const probe = createProbeBuffer();
    this.probe = probe;
    this.heartbeatMs = this.options.workerData().heartbeatMs;
    this.ready = false;
    this.memory.restarted();
    const data = this.workerData(probe);
    const worker = this.takeSpare(data) ?? this.newWorker(data);
    this.worker = worker;
    this.startedAt = clock.nowMs();
    this.lastHeartbeat = { at: clock.nowMs() };
    this.lastHeardAt = clock.nowMs();
    this.armWatchdog(this.options.startupTimeoutMs ?? 30_000);
    this.armRuleCodeWatch();
    worker.on('message', (message: FromEngine) => this.onMessage(worker, message));
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.emit('outOfMemory', this.memory.ended(this.inRule().ruleId));
        return;
      }
      this.emit('message', {
        type: 'log',
        level: 'error',
        message: `The rule engine failed: ${error.message}`,
      } satisfies FromEngine);
    });
    this.exitPromise = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.onExit(worker, code);
        resolve();
      });
    });
  }

  private newWorker(workerData: EngineWorkerData | typeof STANDBY): Worker {
    return new Worker(this.options.script, {
      workerData,
      execArgv: this.options.execArgv,
      env: this.options.env,
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
    });
  }

  /** The spare worker, told to become the engine with `data`; undefined without one. */
  private takeSpare(data: EngineWorkerData): Worker | undefined {
    const spare = this.spare;
    if (!spare) return undefined;
    this.spare = undefined;
    spare.removeAllListeners();
    spare.postMessage({ type: 'begin', data } satisfies BeginEngine);
    return spare;
  }

  /**
   * Starts a spare worker once the engine has loaded its code (so it never slows that down), in
   * time for a rule file whose top level blocks the first engine.
   */
  private prepareSpare(): void {
    if (!this.options.warmSpare || this.spare || this.stopping) return;
    const spare = this.newWorker(STANDBY);
    const lost = (): void => {
      if (this.spare === spare) this.spare = undefined;
    };
    spare.on('error', lost);
    spare.on('exit', lost);
    this.spare = spare;
  }

  /** The caller's data with what the host keeps across workers: files set aside, While rules' lists. */
  private workerData(probe: SharedArrayBuffer): EngineWorkerData {
    const data = this.options.workerData();
    const saved = { ...data.saved };
    for (const [ruleId, restore] of this.restore) saved[ruleId] = { ...saved[ruleId], restore };
    const memoryWatchMb = this.memory.watchFromMb;
    const memoryLimitMb = this.memory.limitMb;
    return { ...data, saved, probe, setAside: this.setAside, memoryWatchMb, memoryLimitMb };
  }

  /** Sends a message; without a running worker it is dropped (a restart reads the saved state). */
  send(message: ToEngine): void {
    this.worker?.postMessage(message);
  }

  /** Asks the engine to take a setting (see EngineRequests: a write never waits on the engine). */
  setSetting(ruleId: string, name: string, value: JsonValue): Promise<void> {
    return this.requests.setSetting(ruleId, name, value);
  }

  /** Asks the engine when its time-triggered rules fire in the `days` from `fromMs` (the week ahead). */
  preview(fromMs: number, days: number): Promise<PreviewOccurrence[]> {
    return this.requests.preview(fromMs, days);
  }

  /** Asks the engine to stop its rules; resolves once the worker thread has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelRestart?.();
    this.disarm();
    const spare = this.spare;
    this.spare = undefined;
    await spare?.terminate();
    const worker = this.worker;
    if (!worker) {
      await this.terminating;
      return;
    }
    const exited = this.exitPromise;
    worker.postMessage({ type: 'stop' } satisfies ToEngine);
    const cancel = this.options.clock.after(this.options.stopTimeoutMs ?? 5000, () => {
      void worker.terminate();
    });
    await exited;
    cancel();
  }

  private onMessage(worker: Worker, message: FromEngine): void {
    if (worker !== this.worker || typeof message?.type !== 'string') return;
    this.lastHeardAt = this.options.clock.nowMs();
    // The worker speaks: it has loaded the engine's code, the spare may load it now.
    this.prepareSpare();
    switch (message.type) {
      case 'heartbeat':
        this.lastHeartbeat = {
          runningRule: message.runningRule,
          runningMethod: message.runningMethod,
          at: this.options.clock.nowMs(),
        };
        this.armWatchdog(this.options.heartbeatTimeoutMs ?? 10_000);
        return;
      case 'rules':
        if (!this.ready) {
          this.ready = true;
          this.requests.resend(worker);
        }
        this.emit('message', message);
        return;
      case 'reply':
      case 'preview':
        this.requests.answered(message);
        return;
      case 'memory':
        // Ended here, not at V8's heap limit: Buffers and array buffers lie outside that heap.
        if (this.memory.report(message)) {
          const event = this.memory.ended(this.inRule().ruleId);
          this.replace(worker);
          this.emit('outOfMemory', event);
        }
        return;
      case 'setAside':
        this.setAside[message.file] = message.setAside;
        return;
      case 'restoreList':
        if (message.restore.length > 0) this.restore.set(message.ruleId, message.restore);
        else this.restore.delete(message.ruleId);
        return;
      case 'stopped':
        // The engine has let go of its rules; the thread ends by itself or by terminate().
        void worker.terminate();
        return;
      default:
        this.emit('message', message);
    }
  }

  private armWatchdog(timeoutMs: number): void {
    this.cancelWatchdog?.();
    this.cancelWatchdog = this.options.clock.after(timeoutMs, () =>
      this.stalled(this.options.clock.nowMs() - this.lastHeartbeat.at, this.inRule())
    );
  }

  /** Reads the probe every RULE_CODE_CHECK_MS: rule code running past its limit is a stall. */
  private armRuleCodeWatch(): void {
    const limitMs = this.options.ruleCodeLimitMs ?? RULE_CODE_LIMIT_MS;
    this.cancelRuleCodeWatch = this.options.clock.after(RULE_CODE_CHECK_MS, () => {
      const running = this.probe ? readRunningFor(this.probe) : undefined;
      if (running && running.runningMs > limitMs) this.stalled(running.runningMs, running.reading);
      else this.armRuleCodeWatch();
    });
  }

  private disarm(): void {
    this.cancelWatchdog?.();
    this.cancelRuleCodeWatch?.();
  }

  /** The worker is blocked, by `running` when it is rule code: end it and start another. */
  private stalled(
    silentMs: number,
    running: { ruleId?: string; file?: string; method?: string }
  ): void {
    const worker = this.worker;
    if (!worker || this.stopping) return;
    const { ruleId, file, method } = running;
    if (!ruleId && file) this.setAsideBlocking(file, silentMs);
    this.replace(worker);
    this.emit('stalled', { ruleId, file: ruleId ? undefined : file, method, silentMs });
  }

  /**
   * Ends `worker` and starts its successor once it has ended; listeners of the event that caused
   * it run first (synchronously), so what they save is what the successor reads.
   */
  private replace(worker: Worker): void {
    // Forget the worker first so its exit is not mistaken for a crash.
    this.worker = undefined;
    this.disarm();
    this.requests.failAll('the rule engine was restarted', this.stopping);
    this.terminating = worker.terminate().then(() => this.start());
  }

  /** The rule code the engine thread is in, as its probe or its last heartbeat says. */
  private inRule(): { ruleId?: string; file?: string; method?: string } {
    const probed = this.probe ? readProbe(this.probe) : undefined;
    if (probed) return probed;
    return { ruleId: this.lastHeartbeat.runningRule, method: this.lastHeartbeat.runningMethod };
  }

  /** A file whose top level never finished loading is not loaded again until it changes. */
  private setAsideBlocking(file: string, silentMs: number): void {
    const fingerprint = fileFingerprint(this.options.workerData().rulesFolder, file);
    if (!fingerprint) return;
    this.setAside[file] = {
      fingerprint,
      reason: `failed to load ${file}: its top level kept the rule engine busy for ${Math.round(silentMs / 1000)} s (an endless loop?), so the engine was restarted; the file is set aside until it changes`,
    };
  }

  private get maxHeapMb(): number {
    return this.memory.limitMb;
  }

  private onExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.disarm();
    this.requests.failAll('the rule engine stopped', this.stopping);
    if (this.stopping) return;
    const { clock } = this.options;
    // A worker that ran a good while before it died gets a quick restart; one that dies at once backs off.
    if (clock.nowMs() - this.startedAt > MAX_BACKOFF_MS) this.backoffMs = 1000;
    const restartInMs = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.emit('exited', { code, restartInMs });
    this.cancelRestart = clock.after(restartInMs, () => this.start());
  }
}
