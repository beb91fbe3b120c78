/**
 * Base of every time trigger: a pure "when next?" (`next`) that both the running trigger and the
 * week-ahead preview use, and the one place that arms, re-arms and cancels the clock for it.
 */
import type { DateTime } from 'luxon';
import type { Cancel } from '../clock';
import { Changeable, isValueSource, Place, Trigger, TriggerContext } from './Trigger';

/** One upcoming firing, as the week-ahead preview lists it. */
export interface Occurrence {
  at: DateTime;
  property: string;
  value: unknown;
}

export abstract class TimeTrigger extends Trigger {
  private cancelTimer?: Cancel;
  private armedAt: DateTime | null = null;
  private firing: DateTime | null = null;
  /**
   * True for alarms: occurrences fixed by the calendar (a time of day, a solar event), each worth
   * running a little late after an outage or a restart, and never twice. Rhythms and countdowns
   * (HeartBeat, DurationTimer, DelayTimer) are not: their next firing comes anyway.
   */
  readonly isAlarm: boolean = false;
  // cancels of the ValueSource listeners that re-arm this trigger
  private readonly watchers: Cancel[] = [];

  /**
   * The first instant strictly after `after` at which this trigger fires, in `after`'s zone,
   * or null if it will not fire (within a year, for the solar ones). Pure: it reads no clock.
   * `place` is needed only by solar triggers that are not running (the preview); running ones
   * use their context's place.
   *
   * @example new HeartBeat('2s').next(DateTime.fromISO('2027-01-01T00:00:00Z')) // 00:00:02
   */
  abstract next(after: DateTime, place?: Place): DateTime | null;

  /** The property and value reported when firing at `at`; most triggers report `activated: true`. */
  protected valueAt(_at: DateTime): [property: string, value: unknown] {
    return ['activated', true];
  }

  /** Values whose change (a RuleThing setting) must re-arm this trigger at once. */
  protected changeables(): Changeable<unknown>[] {
    return [];
  }

  /** Called on start before the first arming, with the start instant (anchors periodic triggers). */
  protected started(_now: DateTime): void {}

  /** The instant after which the first firing is sought; later than `now` never, earlier to catch up. */
  protected firstAfter(now: DateTime): DateTime {
    return now;
  }

  /** Called each time the trigger is armed, so subclasses can warn about gaps (polar summer). */
  protected armed(_after: DateTime, _next: DateTime | null): void {}

  /** The instant this trigger is firing for, while its subscribers are called (the host may run late). */
  get occurrence(): DateTime | null {
    return this.firing;
  }

  /** When this trigger fires next while running; null while stopped or when nothing is due. */
  nextFire(): DateTime | null {
    return this.running ? this.armedAt : null;
  }

  /**
   * The firings in [from, until), for the week-ahead preview; at most `limit` of them.
   *
   * @example trigger.upcoming(now, now.plus({ weeks: 1 }), { latitude: 52.52, longitude: 13.4 })
   */
  upcoming(from: DateTime, until: DateTime, place?: Place, limit = 1000): Occurrence[] {
    const found: Occurrence[] = [];
    for (let at = this.next(from, place); at && at < until && found.length < limit;) {
      const [property, value] = this.valueAt(at);
      found.push({ at, property, value });
      at = this.next(at, place);
    }
    return found;
  }

  /** The place to compute with: the argument, else the running context's. */
  protected placeFor(place?: Place): Place {
    const chosen = place ?? this.context?.place;
    if (!chosen) {
      throw new Error(
        `${this.describe()}: needs a place (latitude and longitude) to compute times`
      );
    }
    return chosen;
  }

  protected override onStart(context: TriggerContext): void {
    for (const value of this.changeables()) {
      if (isValueSource(value)) this.watchers.push(value.onChange(() => this.rearm()));
    }
    const now = context.clock.now();
    this.started(now);
    this.schedule(this.firstAfter(now));
  }

  protected override onStop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedAt = null;
    for (const cancel of this.watchers.splice(0)) cancel();
  }

  /** Recomputes the next firing from now, e.g. after a setting changed; does nothing while stopped. */
  protected rearm(): void {
    if (this.context) this.schedule(this.context.clock.now());
  }

  private schedule(after: DateTime): void {
    const context = this.context;
    if (!context) return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    let at: DateTime | null;
    try {
      at = this.next(after);
    } catch (error) {
      // A bad value must not crash the rule system; the trigger stays quiet and says why.
      this.armedAt = null;
      context.warn(`${this.describe()}: ${(error as Error).message}`);
      return;
    }
    this.armedAt = at;
    this.armed(after, at);
    if (!at) return;
    this.cancelTimer = context.clock.at(at.toMillis(), () => {
      const [property, value] = this.valueAt(at);
      // Re-armed from the fired instant (or now, if the host slept) on the next turn, once every
      // trigger due now has fired: computing the next time (time zones, the sun) is the slow part,
      // and a thousand alarms due in the same second should all fire first. Held in cancelTimer,
      // so a subscriber that stops or re-arms us during `fire` still has the last word.
      this.cancelTimer = context.clock.after(0, () => {
        const now = context.clock.now();
        this.schedule(now > at ? now : at);
      });
      this.firing = at;
      try {
        this.fire(property, value);
      } finally {
        this.firing = null;
      }
    });
  }
}
