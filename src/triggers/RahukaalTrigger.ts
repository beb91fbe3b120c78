/** RahukaalTrigger: fires at the start or end of Rahu Kaal, the inauspicious eighth of daylight whose place depends on the weekday. */
import type { DateTime } from 'luxon';
import { DailyEventOptions, DailyEventTrigger } from './DailyEventTrigger';
import { describeWithOffset, eventsOnDay, SOLAR_EVENTS } from './solarEvents';
import type { Place } from './Trigger';

/** luxon weekday (1 = Monday) -> which eighth of daylight (1-based) is Rahu Kaal */
export const RAHUKAAL_SEGMENT: Readonly<Record<number, number>> = {
  1: 2,
  2: 7,
  3: 5,
  4: 6,
  5: 4,
  6: 3,
  7: 8,
};

/**
 * Rahu Kaal on the local day containing `day`: daylight (sunrise to sunset) split in eight,
 * the weekday's segment; null on days without both a sunrise and a later sunset.
 *
 * @example rahukaal(DateTime.fromISO('2027-06-21', { zone: 'Europe/Berlin' }), berlin) // { start: 06:49, end: 08:56 }
 */
export function rahukaal(day: DateTime, place: Place): { start: DateTime; end: DateTime } | null {
  const sunrise = eventsOnDay(SOLAR_EVENTS.sunrise, day, place)[0];
  const sunset = sunrise && eventsOnDay(SOLAR_EVENTS.sunset, day, place).find((s) => s > sunrise);
  if (!sunrise || !sunset) return null;
  const eighth = (sunset.toMillis() - sunrise.toMillis()) / 8;
  const segment = RAHUKAAL_SEGMENT[day.weekday];
  return {
    start: sunrise.plus({ milliseconds: Math.round((segment - 1) * eighth) }),
    end: sunrise.plus({ milliseconds: Math.round(segment * eighth) }),
  };
}

export class RahukaalTrigger extends DailyEventTrigger {
  /**
   * @example new RahukaalTrigger('start') // "at the start of Rahu Kaal"
   */
  constructor(
    readonly edge: 'start' | 'end',
    options: DailyEventOptions = {}
  ) {
    super(options);
    if (edge !== 'start' && edge !== 'end') {
      throw new Error(`Invalid Rahu Kaal edge: ${JSON.stringify(edge)} (use 'start' or 'end')`);
    }
  }

  describe(): string {
    const phrase = describeWithOffset(`the ${this.edge} of Rahu Kaal`, this.offsetMs);
    return this.offsetMs === 0 ? `at ${phrase}` : phrase;
  }

  onDay(day: DateTime, place?: Place): DateTime[] {
    const period = rahukaal(day, this.placeFor(place));
    return period ? [period[this.edge]] : [];
  }

  protected eventPhrase(): string {
    return `Rahu Kaal`;
  }
}
