/** AbsoluteTimeTrigger: fires at a time of day on chosen days, correct across DST changes. */
import type { DateTime } from 'luxon';
import { describeDuration, parseDuration } from '../clock';
import { Changeable, currentValue, pywotArguments } from './Trigger';
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
  /**
   * Fires this long before the time ("20m", or a setting holding it), so that something that
   * takes that long is done at the time: a wake-up light full at the alarm. The days are those
   * of the time itself (a 00:10 alarm on Mondays with `before: '20m'` fires Sunday 23:50).
   */
  before?: Changeable<string | number>;
}

type Arguments = [time: Changeable<string>, options?: AbsoluteTimeOptions];

const DAY_MS = 86_400_000;

export class AbsoluteTimeTrigger extends TimeTrigger {
  override readonly isAlarm = true;
  /** The weekdays it fires on (luxon numbering, 1 = Monday). */
  readonly weekdays: ReadonlySet<number>;
  // the last valid time; kept when a setting changes to something that is not a time
  private lastGood: TimeOfDay;
  // the last rejected value, so one bad setting is reported once rather than on every arming
  private lastBad?: unknown;
  private lastGoodEarlyMs = 0;

  private readonly time: Changeable<string>;
  private readonly before: Changeable<string | number> | undefined;

  /**
   * @param time "06:30" or "06:30:00" (24-hour), or a RuleThing setting holding one, which
   *   re-arms the trigger as soon as it changes. pywot's form with a name first,
   *   `('morning_wake_trigger', '06:30:00')`, is accepted too.
   * @example new AbsoluteTimeTrigger('06:30', { days: 'weekdays' }) // "at 06:30 on weekdays"
   * @example new AbsoluteTimeTrigger(this.setting('alarmTime', '06:30'))
   * @example new AbsoluteTimeTrigger(this.alarm, { before: this.fade }) // fade done at the alarm
   * @throws Error naming the bad time and the form "HH:MM or HH:MM:SS (24-hour)".
   */
  constructor(...given: Arguments | [name: string, ...Arguments]) {
    const { name, args } = pywotArguments<Arguments>(given);
    super(name);
    const [time, options = {}] = args;
    this.time = time;
    this.lastGood = parseTimeOfDay(currentValue(time));
    this.weekdays = parseDays(options.days);
    this.before = options.before;
    if (options.before !== undefined) this.lastGoodEarlyMs = beforeMs(currentValue(options.before));
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
    const at = `${formatTimeOfDay(this.timeOfDay())} ${describeDays(this.weekdays)}`;
    const early = this.earlyMs();
    return early === 0 ? `at ${at}` : `${describeDuration(early)} before ${at}`;
  }

  next(after: DateTime): DateTime | null {
    const early = this.earlyMs();
    const time = nextTimeOfDay(after.plus(early), this.timeOfDay(), this.weekdays);
    return time && time.minus(early);
  }

  protected override changeables(): Changeable<unknown>[] {
    return this.before === undefined ? [this.time] : [this.time, this.before];
  }

  /** How long before the time it fires; a bad setting keeps the last good one. */
  private earlyMs(): number {
    if (this.before === undefined) return 0;
    try {
      this.lastGoodEarlyMs = beforeMs(currentValue(this.before));
    } catch (error) {
      this.context?.warn(
        `${(error as Error).message}; keeps ${describeDuration(this.lastGoodEarlyMs)}`
      );
    }
    return this.lastGoodEarlyMs;
  }
}

function beforeMs(value: string | number): number {
  const ms = parseDuration(value);
  if (!(ms >= 0) || ms >= DAY_MS) {
    throw new Error(
      `Invalid "before" of AbsoluteTimeTrigger: ${JSON.stringify(value)} (use a duration under a day, e.g. "20m")`
    );
  }
  return ms;
}
