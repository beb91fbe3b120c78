/** AbsoluteTimeTrigger: fires at a time of day on chosen days, correct across DST changes. */
import type { DateTime } from 'luxon';
import { Changeable, currentValue } from './Trigger';
import { TimeTrigger } from './TimeTrigger';
import {
  Days,
  describeDays,
  formatTimeOfDay,
  nextTimeOfDay,
  parseDays,
  parseTimeOfDay,
  TimeOfDay,
} from './timeOfDay';

export interface AbsoluteTimeOptions {
  /** Which days it fires on; every day unless told. */
  days?: Days;
}

export class AbsoluteTimeTrigger extends TimeTrigger {
  override readonly isAlarm = true;
  /** The weekdays it fires on (luxon numbering, 1 = Monday). */
  readonly weekdays: ReadonlySet<number>;
  // the last valid time; kept when a setting changes to something that is not a time
  private lastGood: TimeOfDay;
  // the last rejected value, so one bad setting is reported once rather than on every arming
  private lastBad?: unknown;

  /**
   * @param time "06:30" or "06:30:00" (24-hour), or a RuleThing setting holding one, which
   *   re-arms the trigger as soon as it changes.
   * @example new AbsoluteTimeTrigger('06:30', { days: 'weekdays' }) // "at 06:30 on weekdays"
   * @example new AbsoluteTimeTrigger(this.setting('alarmTime', '06:30'))
   * @throws Error naming the bad time and the form "HH:MM or HH:MM:SS (24-hour)".
   */
  constructor(
    private readonly time: Changeable<string>,
    options: AbsoluteTimeOptions = {}
  ) {
    super();
    this.lastGood = parseTimeOfDay(currentValue(time));
    this.weekdays = parseDays(options.days);
  }

  /** The time of day in force now. */
  timeOfDay(): TimeOfDay {
    const value = currentValue(this.time);
    try {
      this.lastGood = parseTimeOfDay(value);
      this.lastBad = undefined;
    } catch (error) {
      if (value !== this.lastBad) {
        this.lastBad = value;
        this.context?.warn(`${(error as Error).message}; keeps ${formatTimeOfDay(this.lastGood)}`);
      }
    }
    return this.lastGood;
  }

  describe(): string {
    return `at ${formatTimeOfDay(this.timeOfDay())} ${describeDays(this.weekdays)}`;
  }

  next(after: DateTime): DateTime | null {
    return nextTimeOfDay(after, this.timeOfDay(), this.weekdays);
  }

  protected override changeables(): Changeable<unknown>[] {
    return [this.time];
  }
}
