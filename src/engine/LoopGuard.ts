/**
 * The loop guard stops loops, not busy homes. It follows causes: a report that a rule's write
 * caused (see InFlightWrites) carries that write's cause, so a chain of rules triggering each
 * other (A's write triggers B whose write triggers A …) is cut after a bounded depth, also
 * through devices that report late. Firings that rules' writes caused are also counted, as a
 * backstop for a loop whose chain is lost on the way; firings caused by people, sensors and
 * clocks are never counted unless the rule sets its own `static maxRate`. Echoes of a rule's own
 * writes never reach it.
 */

export interface LoopGuardOptions {
  /** A rule that fires more than this many times within `windowMs` because of rules' writes is paused. */
  maxFiresPerWindow: number;
  windowMs: number;
  /** Longest chain of rules triggering each other through their writes (default 10). */
  maxChainDepth?: number;
}

/** A minute, the window of the add-on's rate setting and of `static maxRate`. */
export const RATE_WINDOW_MS = 60_000;

export const DEFAULT_LOOP_GUARD: Required<LoopGuardOptions> = {
  // 20 a second for a minute: a rule relaying a 10-per-second slider through another rule is fine.
  maxFiresPerWindow: 1200,
  windowMs: RATE_WINDOW_MS,
  maxChainDepth: 10,
};

/** Why a run happened: the rule that ran and, if a rule's write triggered it, that write's cause. */
export interface Cause {
  ruleId: string;
  title: string;
  parent: Cause | undefined;
  /** Number of rules in the chain, this one included. */
  depth: number;
}

export function causeOf(ruleId: string, title: string, parent: Cause | undefined): Cause {
  return { ruleId, title, parent, depth: (parent?.depth ?? 0) + 1 };
}

/**
 * Counts firings in a sliding window, estimated from the current and the previous fixed window
 * (the previous one weighted by how much of it still overlaps): O(1) time and memory whatever
 * the configured maximum.
 */
export class FiringRate {
  private windowStart: number | undefined;
  private current = 0;
  private previous = 0;

  constructor(
    private readonly max: number,
    private readonly windowMs: number
  ) {}

  /** Notes a firing at `now`; true when that makes more than `max` within the window. */
  note(now: number): boolean {
    if (this.windowStart === undefined) this.windowStart = now;
    const elapsed = now - this.windowStart;
    if (elapsed >= this.windowMs) {
      const windows = Math.floor(elapsed / this.windowMs);
      this.previous = windows === 1 ? this.current : 0;
      this.current = 0;
      this.windowStart += windows * this.windowMs;
    }
    this.current++;
    const overlap = 1 - (now - this.windowStart) / this.windowMs;
    return this.previous * overlap + this.current > this.max;
  }

  reset(): void {
    this.windowStart = undefined;
    this.current = 0;
    this.previous = 0;
  }

  describe(what = ''): string {
    return `fired ${this.max + 1} times${what} in ${this.windowMs / 1000}s`;
  }
}

/** The rules of a too-long chain that took part more than once (the loop), in first-seen order. */
export function loopMembers(cause: Cause): { ruleId: string; title: string }[] {
  const seen = new Map<string, { title: string; count: number }>();
  const order: string[] = [];
  for (let link: Cause | undefined = cause; link; link = link.parent) {
    const entry = seen.get(link.ruleId);
    if (entry) entry.count++;
    else {
      seen.set(link.ruleId, { title: link.title, count: 1 });
      order.push(link.ruleId);
    }
  }
  const repeated = order.filter((id) => seen.get(id)!.count > 1);
  return (repeated.length > 0 ? repeated : order)
    .reverse()
    .map((ruleId) => ({ ruleId, title: seen.get(ruleId)!.title }));
}
