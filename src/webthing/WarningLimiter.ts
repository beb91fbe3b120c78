/** Lets one warning of each kind through per interval, so a flood of bad messages cannot flood the log. */

export class WarningLimiter {
  // warning kind -> when one was last let through, and how many were held back since
  private readonly kinds = new Map<string, { lastMs: number; suppressed: number }>();

  constructor(
    private readonly nowMs: () => number,
    private readonly intervalMs = 60_000
  ) {}

  /** The number of warnings of this kind held back before it (≥ 0) if it may go out, else -1. */
  admit(kind: string): number {
    const now = this.nowMs();
    const entry = this.kinds.get(kind);
    if (entry === undefined) {
      this.kinds.set(kind, { lastMs: now, suppressed: 0 });
      return 0;
    }
    if (now - entry.lastMs < this.intervalMs) {
      entry.suppressed++;
      return -1;
    }
    const suppressed = entry.suppressed;
    entry.lastMs = now;
    entry.suppressed = 0;
    return suppressed;
  }
}
