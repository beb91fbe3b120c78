/**
 * How many faults (errors that escaped a rule's code: a throwing timer, an unawaited promise that
 * rejected, an attempt to end the process) a rule made lately: the third within ten minutes
 * switches the rule off, so one that keeps failing stops costing the others.
 */

export const MAX_FAULTS = 3;
export const FAULT_WINDOW_MS = 10 * 60_000;

export class FaultCount {
  // when each fault within the window happened (ms), oldest first
  private times: number[] = [];

  /** Notes a fault at `nowMs`; true when it is the MAX_FAULTS-th within FAULT_WINDOW_MS. */
  note(nowMs: number): boolean {
    this.times = this.times.filter((t) => nowMs - t < FAULT_WINDOW_MS);
    this.times.push(nowMs);
    if (this.times.length < MAX_FAULTS) return false;
    this.times = [];
    return true;
  }
}
