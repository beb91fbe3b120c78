/** DurationTimer: switches a property on and off in a steady rhythm (on 10 minutes, off 5), a set number of times or forever. */
import type { DateTime } from 'luxon';
import { describeDuration, parseDuration } from '../clock';
import { TimeTrigger } from './TimeTrigger';

export interface DurationTimerOptions {
  /** How long each "on" lasts: "10m", 600. */
  on: string | number;
  /** How long each "off" lasts before the next "on". */
  off: string | number;
  /** How many on-periods to run; forever unless told. */
  repeats?: number;
}

export class DurationTimer extends TimeTrigger {
  readonly onMs: number;
  readonly offMs: number;
  readonly repeats: number;
  // the start instant; on k begins at anchor + k·(on+off)
  private anchorMs?: number;

  /**
   * Fires `on: true` when it starts, `on: false` after `on`, `on: true` again after `off`, and so on.
   *
   * @example new DurationTimer({ on: '10m', off: '5m', repeats: 3 }) // "on for 10 minutes, off for 5 minutes, 3 times"
   */
  constructor(options: DurationTimerOptions) {
    super();
    this.onMs = positive(options.on, 'on');
    this.offMs = positive(options.off, 'off');
    this.repeats = options.repeats ?? Infinity;
    if (!(this.repeats === Infinity || (Number.isInteger(this.repeats) && this.repeats > 0))) {
      throw new Error(
        `Invalid DurationTimer repeats: ${JSON.stringify(options.repeats)} (use a positive whole number or Infinity)`
      );
    }
  }

  describe(): string {
    const times =
      this.repeats === Infinity
        ? 'repeatedly'
        : this.repeats === 1
          ? 'once'
          : `${this.repeats} times`;
    return `on for ${describeDuration(this.onMs)}, off for ${describeDuration(this.offMs)}, ${times}`;
  }

  /** The next switch after `after`; null before it starts and after the last "off". */
  next(after: DateTime): DateTime | null {
    if (this.anchorMs === undefined) return null;
    const cycle = this.onMs + this.offMs;
    const since = after.toMillis() - this.anchorMs;
    // candidates in order: this cycle's on, this cycle's off, the next cycle's on
    const k = Math.max(0, Math.floor(since / cycle));
    for (const offset of [k * cycle, k * cycle + this.onMs, (k + 1) * cycle]) {
      const cycleIndex = Math.floor(offset / cycle);
      if (cycleIndex >= this.repeats) return null;
      if (offset > since) return after.plus({ milliseconds: offset - since });
    }
    return null;
  }

  protected override valueAt(at: DateTime): [string, unknown] {
    const cycle = this.onMs + this.offMs;
    const into = (at.toMillis() - (this.anchorMs ?? at.toMillis())) % cycle;
    return ['on', into < this.onMs];
  }

  protected override started(now: DateTime): void {
    this.anchorMs = now.toMillis();
  }

  /** The first "on" is at the start instant itself. */
  protected override firstAfter(now: DateTime): DateTime {
    return now.minus({ milliseconds: 1 });
  }

  protected override onStop(): void {
    super.onStop();
    this.anchorMs = undefined;
  }
}

function positive(value: string | number, what: string): number {
  const ms = parseDuration(value);
  if (ms <= 0) {
    throw new Error(
      `Invalid DurationTimer ${what}: ${JSON.stringify(value)} (use a positive duration such as "10m")`
    );
  }
  return ms;
}
