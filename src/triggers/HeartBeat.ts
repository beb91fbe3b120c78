/** HeartBeat: fires at a steady period on the clock's grid, like the seed's two-second rainbow. */
import { DateTime, Zone } from 'luxon';
import { describeDuration, parseDuration } from '../clock';
import { Changeable, currentValue, pywotArguments } from './Trigger';
import { TimeTrigger } from './TimeTrigger';

const DAY_MS = 86_400_000;

/** One local day, [startMs, endMs) in `zone`: where a grid of periods up to a day begins again. */
interface LocalDay {
  zone: Zone;
  startMs: number;
  endMs: number;
}

/**
 * Beats on the clock's grid, as cron and Home Assistant's `time_pattern` do: at local midnight
 * (in the zone of the rule system's clock) plus whole periods of real time, so `'1s'` beats on
 * whole seconds, `'5m'` at :00, :05 …, `'1h'` on the hour. The first beat is the next grid point
 * after the start, and a restart, a reload or a period change never shifts the rhythm.
 * A period that does not divide a day starts again at each midnight (the day's last interval is
 * shorter); on the days clocks change (23 or 25 hours) the count is still real time from midnight.
 * A period longer than a day counts from the Unix epoch (1970-01-01 00:00 UTC).
 */
export class HeartBeat extends TimeTrigger {
  // the local day of the last beat computed: a start of day is worked out once a day, not per beat
  private day?: LocalDay;
  // the last valid period; kept when a setting changes to something that is not a duration
  private lastGoodMs: number;
  private lastBad?: unknown;

  /**
   * @param period "2s", "5m", "1h30m", a number of seconds, or a RuleThing setting holding one
   *   (a change takes effect at the next beat of the new period's grid); must be positive.
   * @example triggers() { return [new HeartBeat('2s')]; } // action runs on every even second
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

  /**
   * The next grid point after `after`: its day's midnight plus whole periods, at most the next
   * midnight; for a period over a day, the epoch plus whole periods.
   */
  next(after: DateTime): DateTime | null {
    const period = this.periodMs;
    const afterMs = after.toMillis();
    let at: number;
    if (period > DAY_MS) {
      at = (Math.floor(afterMs / period) + 1) * period;
    } else {
      const day = this.dayOf(after);
      const beats = Math.floor((afterMs - day.startMs) / period) + 1;
      at = Math.min(day.startMs + beats * period, day.endMs);
    }
    // One zone lookup, where after.plus() costs three: a week of a two-second beat is 302,400 of them.
    return DateTime.fromMillis(at, { zone: after.zone, locale: after.locale ?? undefined });
  }

  /** The local day holding `instant`, from the cache unless a beat has passed midnight. */
  private dayOf(instant: DateTime): LocalDay {
    const ms = instant.toMillis();
    const cached = this.day;
    if (cached && cached.startMs <= ms && ms < cached.endMs && cached.zone.equals(instant.zone)) {
      return cached;
    }
    const day = {
      zone: instant.zone,
      startMs: instant.startOf('day').toMillis(),
      endMs: instant.plus({ days: 1 }).startOf('day').toMillis(),
    };
    this.day = day;
    return day;
  }

  protected override changeables(): Changeable<unknown>[] {
    return [this.period];
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
