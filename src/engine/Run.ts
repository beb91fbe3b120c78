/**
 * One execution of a rule's action (or initial state, or While phase): its cause for the loop
 * guard, its abort signal, and the changes it made; found again from inside the rule's async code
 * through AsyncLocalStorage, so `this.sleep` and `thing.fadeTo` stop with the run that started them.
 */
import { AsyncLocalStorage } from 'async_hooks';
import type { Cause } from './LoopGuard';

export class Run {
  // created on first use: most runs are synchronous and never need one
  private controller: AbortController | undefined;
  /** "Porch Light on false → true", collected while someone listens to `fired`. */
  readonly changes: string[] | undefined;

  constructor(
    readonly cause: Cause,
    /** Aborted when the rule stops: a run never outlives its rule. */
    readonly lifetime: AbortSignal,
    collectChanges: boolean
  ) {
    this.changes = collectChanges ? [] : undefined;
  }

  get signal(): AbortSignal {
    if (!this.controller) this.controller = new AbortController();
    return this.controller.signal;
  }

  /** Both signals a wait in this run listens to. */
  get signals(): AbortSignal[] {
    return [this.signal, this.lifetime];
  }

  abort(reason: string): void {
    this.controller?.abort(reason);
  }
}

/** The run whose code is executing now, across awaits. */
export const currentRun = new AsyncLocalStorage<Run>();
