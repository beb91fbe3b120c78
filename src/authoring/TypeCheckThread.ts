/** The engine thread's handle on the type checker's thread (typeCheckWorker.ts): started on a check, ended when it fails, takes too long, or has been idle a minute. */
import path from 'path';
import { Worker } from 'worker_threads';
import { workerEntry } from '../host/engineWorkerEntry';
import type { Diagnostic } from './diagnostics';
import type { TypeCheckAnswer, TypeCheckRequest } from './typeCheckWorker';

/** The checker thread's heap limit: one check of a rule folder took 89 MB on x86. */
export const TYPE_CHECK_HEAP_LIMIT_MB = 256;
// A check that takes longer is given up (a Pi needs a few seconds for the first one).
const CHECK_TIMEOUT_MS = 120_000;
// An idle checker is ended: its compiler holds tens of MB that a Pi wants back between edits.
const IDLE_MS = 60_000;

interface Waiting {
  resolve: (diagnostics: Diagnostic[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class TypeCheckThread {
  private worker?: Worker;
  private seq = 0;
  // request id -> the check waiting for its answer
  private readonly waiting = new Map<number, Waiting>();
  private idle?: NodeJS.Timeout;

  /** The compiler's diagnostics of `file` (absolute), against `typesFile` when it exists. */
  check(file: string, typesFile?: string): Promise<Diagnostic[]> {
    const worker = this.worker ?? this.start();
    clearTimeout(this.idle);
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(`the type check of ${path.basename(file)} took over 2 minutes`),
        CHECK_TIMEOUT_MS
      );
      timer.unref();
      this.waiting.set(id, { resolve, reject, timer });
      worker.postMessage({ id, file, typesFile } satisfies TypeCheckRequest);
    });
  }

  /** Ends the checker's thread; checks still waiting are refused. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.fail('the type checker was closed');
    await worker?.terminate();
  }

  private start(): Worker {
    const entry = workerEntry(path.join(__dirname, 'typeCheckWorker'));
    const worker = new Worker(entry.script, {
      execArgv: entry.execArgv,
      resourceLimits: { maxOldGenerationSizeMb: TYPE_CHECK_HEAP_LIMIT_MB },
    });
    // An idle checker never keeps the engine thread alive.
    worker.unref();
    worker.on('message', (answer: TypeCheckAnswer) => {
      const waiting = this.waiting.get(answer.id);
      if (!waiting) return;
      this.waiting.delete(answer.id);
      clearTimeout(waiting.timer);
      if ('error' in answer) waiting.reject(new Error(answer.error));
      else waiting.resolve(answer.diagnostics);
      if (this.waiting.size > 0) return;
      this.idle = setTimeout(() => this.fail('the type checker was idle'), IDLE_MS);
      this.idle.unref();
    });
    worker.on('error', (error: Error & { code?: string }) =>
      this.fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the type checker needed more than its ${TYPE_CHECK_HEAP_LIMIT_MB} MB memory limit`
          : `the type checker failed: ${error.message}`
      )
    );
    worker.on('exit', () => {
      if (this.worker === worker) this.fail('the type checker stopped');
    });
    this.worker = worker;
    return worker;
  }

  /** Refuses every waiting check and ends the thread; the next check starts a fresh one. */
  private fail(reason: string): void {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    for (const [id, waiting] of this.waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error(reason));
      this.waiting.delete(id);
    }
    void worker?.terminate();
  }
}
