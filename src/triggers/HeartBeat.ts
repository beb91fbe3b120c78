/** HeartBeat: fires at a steady period, like the seed's two-second rainbow. */
import { DateTime } from 'luxon';
import { describeDuration, parseDuration } from '../clock';
import { Changeable, currentValue, pywotArguments } from './Trigger';
import { TimeTrigger } from './TimeTrigger';

export class HeartBeat extends TimeTrigger {
  // the start instant (or the last period change); beats fall on it plus whole periods, so slow
  // subscribers never make the cadence drift
  private anchorMs?: number;
  // the last valid period; kept when a setting changes to something that is not a duration
  private lastGoodMs: number;
  private lastBad?: unknown;

  /**
   * @param period "2s", "5m", "1h30m", a number of seconds, or a RuleThing setting holding one
   *   (a change restarts the beat from that moment); must be positive.
   * @example triggers() { return [new HeartBeat('2s')]; } // action runs every two seconds
   */
  private readonly period: Changeable<string | number>;

  constructor(
    ...given:
      [period: Changeable<string | number>] | [name: string, period: Changeable<string | number>]
  ) {
    const { name, args } = pywotArguments<[Changeable<string | number>]>(given);
    super(name);
    const [period] = args;
    this.period = period;
    this.lastGoodMs = parsePeriod(currentValue(period));
  }

  /** The period in force, in milliseconds. */
  get periodMs(): number {
    const value = currentValue(this.period);
    try {
      this.lastGoodMs = parsePeriod(value);
      this.lastBad = undefined;
    } catch (error) {
      if (value !== this.lastBad) {
        this.lastBad = value;
        this.context?.warn(
          `${(error as Error).message}; keeps ${describeDuration(this.lastGoodMs)}`
        );
      }
    }
    return this.lastGoodMs;
  }

  describe(): string {
    // "every minute" rather than "every 1 minute"
    return `every ${describeDuration(this.periodMs).replace(/^1 ([a-z]+)$/, '$1')}`;
  }

  /** The next beat: the start instant plus whole periods, or `after` plus one period before it starts. */
  next(after: DateTime): DateTime | null {
    const period = this.periodMs;
    const afterMs = after.toMillis();
    const anchor = this.anchorMs ?? afterMs;
    const beats = Math.max(1, Math.floor((afterMs - anchor) / period) + 1);
    // One zone lookup, where after.plus() costs three: a week of a two-second beat is 302,400 of them.
    return DateTime.fromMillis(anchor + beats * period, {
      zone: after.zone,
      locale: after.locale ?? undefined,
    });
  }

  protected override changeables(): Changeable<unknown>[] {
    return [this.period];
  }

  protected override started(now: DateTime): void {
    this.anchorMs = now.toMillis();
  }

  protected override rearm(): void {
    // A new period counts from the moment it was set, not from the old rhythm.
    if (this.context) this.anchorMs = this.context.clock.nowMs();
    super.rearm();
  }

  protected override onStop(): void {
    super.onStop();
    this.anchorMs = undefined;
  }
}

function parsePeriod(period: unknown): number {
  const ms =
    typeof period === 'string' || typeof period === 'number' ? parseDuration(period) : Number.NaN;
  if (!(ms > 0)) {
    throw new Error(
      `Invalid HeartBeat period: ${JSON.stringify(period)} (use a positive duration such as "2s")`
    );
  }
  return ms;
}
