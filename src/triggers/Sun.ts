/** Sun: conditions about the sun right now for rules' actions and the add-on's built-in Sun thing ("is it up?", "between dusk and sunrise?"). */
import type { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { sunPosition, SunPosition } from './solar';
import {
  eventsOnDay,
  nextDaily,
  previousDaily,
  SOLAR_EVENTS,
  SolarEventName,
  solarEvent,
} from './solarEvents';
import { nextTimeOfDay, parseDays, parseTimeOfDay, previousTimeOfDay } from './timeOfDay';
import type { Place } from './Trigger';

/** A solar event name, or a time of day such as "23:00" (for "from sunset until 23:00"). */
export type SunMoment = SolarEventName | string;

const EVERY_DAY = parseDays('daily');

export class Sun {
  /**
   * @example
   * const sun = new Sun(clock, { latitude: 52.52, longitude: 13.405 });
   * if (sun.between('civilDusk', 'sunrise')) porch.on = true;
   */
  constructor(
    private readonly clock: Clock,
    readonly place: Place
  ) {}

  /** Where the sun is now. */
  position(): SunPosition {
    return sunPosition(this.clock.nowMs(), this.place);
  }

  /** Geometric elevation of the sun's centre now, in degrees (what the event thresholds use). */
  get elevation(): number {
    return this.position().elevation;
  }

  /** Compass direction of the sun now, degrees clockwise from north. */
  get azimuth(): number {
    return this.position().azimuth;
  }

  /** True between sunrise and sunset: the sun's centre is above −0.833°. */
  isUp(): boolean {
    return this.elevation > SOLAR_EVENTS.sunrise.degrees;
  }

  /**
   * True if `from` happened more recently than `to`, so spans over midnight work as said:
   * between('civilDusk', 'sunrise') is true at 02:00. Either side may be a time of day ("23:00").
   * False if `from` has not happened within a year (polar day for a dusk).
   *
   * @example sun.between('sunset', '23:00') // the seed's "on at dusk, off at 11 PM"
   */
  between(from: SunMoment, to: SunMoment): boolean {
    const now = this.clock.now();
    const lastFrom = this.previous(from, now);
    if (!lastFrom) return false;
    const lastTo = this.previous(to, now);
    return !lastTo || lastFrom > lastTo;
  }

  /**
   * The next time `event` happens after now (or after `after`); null if not within a year.
   *
   * @example sun.next('sunset')?.toFormat('HH:mm') // "21:33"
   */
  next(event: SunMoment, after: DateTime = this.clock.now()): DateTime | null {
    if (isTimeOfDay(event)) return nextTimeOfDay(after, parseTimeOfDay(event), EVERY_DAY);
    const definition = solarEvent(event);
    return nextDaily((day) => eventsOnDay(definition, day, this.place), after);
  }

  /** The last time `event` happened at or before now (or `before`); null if not within a year. */
  previous(event: SunMoment, before: DateTime = this.clock.now()): DateTime | null {
    if (isTimeOfDay(event)) return previousTimeOfDay(before, parseTimeOfDay(event), EVERY_DAY);
    const definition = solarEvent(event);
    return previousDaily((day) => eventsOnDay(definition, day, this.place), before);
  }
}

function isTimeOfDay(moment: string): boolean {
  return /^\d/.test(moment);
}
