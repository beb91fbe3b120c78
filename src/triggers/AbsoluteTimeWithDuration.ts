/** AbsoluteTimeWithDuration: a daily window ("22:00 for 30 minutes") that reports `active` true when it opens and false when it closes. */
import type { DateTime } from 'luxon';
import { describeDuration, parseDuration } from '../clock';
import { Changeable, currentValue } from './Trigger';
import { TimeTrigger } from './TimeTrigger';
import {
  Days,
  describeDays,
  formatTimeOfDay,
  nextTimeOfDay,
  parseDays,
  parseTimeOfDay,
  previousTimeOfDay,
  TimeOfDay,
} from './timeOfDay';

export interface AbsoluteTimeWithDurationOptions {
  /** Which days the window opens on; every day unless told. */
  days?: Days;
}

// Shorter than the shortest (spring-forward) day, so one window closes before the next opens.
const MAX_DURATION_MS = 23 * 3_600_000;

export class AbsoluteTimeWithDuration extends TimeTrigger {
  override readonly isAlarm = true;
  readonly weekdays: ReadonlySet<number>;
  readonly durationMs: number;
  // the last valid opening time; kept when a setting changes to something that is not a time
  private lastGood: TimeOfDay;

  /**
   * @param time "22:00" or "22:00:00", or a RuleThing setting holding one.
   * @param duration how long the window stays open: "30m", "2h"; positive and under 23 hours.
   * @example new AbsoluteTimeWithDuration('22:00', '30m', { days: 'weekdays' }) // active 22:00–22:30
   */
  constructor(
    private readonly time: Changeable<string>,
    duration: string | number,
    options: AbsoluteTimeWithDurationOptions = {}
  ) {
    super();
    this.lastGood = parseTimeOfDay(currentValue(time));
    this.weekdays = parseDays(options.days);
    this.durationMs = parseDuration(duration);
    if (this.durationMs <= 0 || this.durationMs >= MAX_DURATION_MS) {
      throw new Error(
        `Invalid window duration: ${JSON.stringify(duration)} (use a positive duration under 23 hours, such as "30m")`
      );
    }
  }

  describe(): string {
    return `from ${formatTimeOfDay(this.timeOfDay())} for ${describeDuration(this.durationMs)} ${describeDays(this.weekdays)}`;
  }

  /** The next opening or closing after `after`. */
  next(after: DateTime): DateTime | null {
    const time = this.timeOfDay();
    const open = nextTimeOfDay(after, time, this.weekdays);
    // The next closing belongs to the first window opened after (after − duration).
    const opened = nextTimeOfDay(
      after.minus({ milliseconds: this.durationMs }),
      time,
      this.weekdays
    );
    const close = opened ? opened.plus({ milliseconds: this.durationMs }) : null;
    if (!open) return close;
    if (!close) return open;
    return close < open ? close : open;
  }

  /** True if a window is open at `at`. */
  isActive(at: DateTime): boolean {
    const opened = previousTimeOfDay(at, this.timeOfDay(), this.weekdays);
    return opened !== null && at.toMillis() < opened.toMillis() + this.durationMs;
  }

  protected override valueAt(at: DateTime): [string, unknown] {
    return ['active', this.isActive(at)];
  }

  /** Started inside a window, it reports `active: true` at once, so a later `false` always pairs with a `true`. */
  protected override firstAfter(now: DateTime): DateTime {
    const opened = previousTimeOfDay(now, this.timeOfDay(), this.weekdays);
    return opened && this.isActive(now) ? opened.minus({ milliseconds: 1 }) : now;
  }

  protected override changeables(): Changeable<unknown>[] {
    return [this.time];
  }

  private timeOfDay(): TimeOfDay {
    try {
      this.lastGood = parseTimeOfDay(currentValue(this.time));
    } catch {
      // keep the last good time; AbsoluteTimeTrigger-style warnings come from the setting's validator
    }
    return this.lastGood;
  }
}
