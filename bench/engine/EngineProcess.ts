/** The bench's handle on an engine process: forks bench/engine/child.ts and speaks its IPC protocol. */
import { ChildProcess, fork } from 'child_process';
import { ENGINE_HEAP_LIMIT_MB } from '../../src/host/engineWorkerEntry';
import path from 'path';
import type { EngineReport, FromEngine, RuleSpec, ToEngine } from './protocol';

// A step the engine does not answer in this long is a failure of the run, not a hang of the bench.
const ANSWER_TIMEOUT_MS = 30_000;

export interface EngineOptions {
  gatewayUrl: string;
  token: string;
  rules: RuleSpec[];
  measureShare?: boolean;
}

export class EngineProcess {
  private constructor(
    private readonly child: ChildProcess,
    /** Connect, read every description and value, build proxies, start every rule; in ms. */
    readonly startupMs: number
  ) {}

  /** Forks the engine and starts it against the gateway; resolves once every rule runs. */
  static async start(options: EngineOptions): Promise<EngineProcess> {
    const child = fork(path.join(__dirname, 'child.ts'), [], {
      // The heap limit the add-on gives its engine thread, so the figures are those of the add-on.
      execArgv: [
        '-r',
        'sucrase/register',
        `--max-old-space-size=${ENGINE_HEAP_LIMIT_MB}`,
        ...engineFlags(),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const answer = await ask(child, {
        type: 'start',
        gatewayUrl: options.gatewayUrl,
        token: options.token,
        rules: options.rules,
        measureShare: options.measureShare ?? false,
      });
      if (answer.type !== 'started') throw new Error(`engine answered ${answer.type}`);
      return new EngineProcess(child, answer.startupMs);
    } catch (error) {
      child.kill();
      throw error;
    }
  }

  /** Starts counting CPU, peak RSS, actions and engine shares. */
  async begin(): Promise<void> {
    const answer = await ask(this.child, { type: 'begin' });
    if (answer.type !== 'begun') throw new Error(`engine answered ${answer.type}`);
  }

  async report(): Promise<EngineReport> {
    const answer = await ask(this.child, { type: 'report' });
    if (answer.type !== 'report') throw new Error(`engine answered ${answer.type}`);
    return answer.report;
  }

  /** Stops the rules and the connection, and waits for the process to end. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    try {
      await ask(this.child, { type: 'stop' });
    } catch {
      this.child.kill();
    }
    await exited;
  }
}

/**
 * Extra node flags for each engine process, for investigating a figure: e.g.
 * BENCH_ENGINE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (open the profile in Chrome DevTools).
 */
function engineFlags(): string[] {
  return (process.env.BENCH_ENGINE_FLAGS ?? '').split(' ').filter(Boolean);
}

/** Sends one request and waits for the next answer (the protocol has one request in flight at a time). */
function ask(child: ChildProcess, message: ToEngine): Promise<FromEngine> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`engine did not answer "${message.type}"`)),
      ANSWER_TIMEOUT_MS
    );
    const onMessage = (answer: FromEngine) => {
      if (answer.type === 'failed') done(new Error(`engine: ${answer.message}`));
      else done(undefined, answer);
    };
    const onExit = (code: number | null) =>
      done(new Error(`engine exited (code ${code}) during "${message.type}"`));
    const done = (error?: Error, answer?: FromEngine) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(answer!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });
}
