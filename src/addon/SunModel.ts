/**
 * The sun as the built-in Sun thing needs it, from the triggers' `Sun` helper: its position at an
 * instant and the next of the thing's events, each one of the triggers' solar events (defined by
 * the sun's elevation, not by fixed offsets, so they hold in every season and latitude).
 */
import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { sunPosition } from '../triggers/solar';
import { SOLAR_EVENTS, SolarEventName } from '../triggers/solarEvents';
import { Sun } from '../triggers/Sun';
import type { Place } from '../triggers/Trigger';

/** The events of the Sun thing, as GUI rules see them. */
export type SunEventName = 'dawn' | 'sunrise' | 'goldenHour' | 'sunset' | 'dusk' | 'blueHour';

export interface SunEvent {
  name: SunEventName;
  ms: number;
  /** "morning" or "evening": the event's data in the gateway (golden and blue hours come twice). */
  part: 'morning' | 'evening';
}

/** What the Sun thing asks of the sun. */
export interface SunModel {
  /** Elevation (geometric, degrees) and azimuth (degrees clockwise from north) at an instant. */
  position(ms: number): { elevation: number; azimuth: number };
  /** The events at the first instant after `afterMs` when any happens; [] if none within a year. */
  next(afterMs: number): SunEvent[];
}

/** The sun is up above this elevation (sunrise to sunset). */
export const DAYLIGHT_DEGREES = SOLAR_EVENTS.sunrise.degrees;
/** It is night below this elevation (civil dusk to civil dawn). */
export const NIGHT_DEGREES = SOLAR_EVENTS.civilDusk.degrees;

/** Each Sun-thing event and the triggers' solar event it is, in the order they fire on one instant. */
const EVENT_TABLE: { name: SunEventName; solar: SolarEventName; part: SunEvent['part'] }[] = [
  { name: 'dawn', solar: 'civilDawn', part: 'morning' },
  { name: 'blueHour', solar: 'blueHourMorningStart', part: 'morning' },
  { name: 'goldenHour', solar: 'goldenHourMorningStart', part: 'morning' },
  { name: 'sunrise', solar: 'sunrise', part: 'morning' },
  { name: 'goldenHour', solar: 'goldenHourEveningStart', part: 'evening' },
  { name: 'sunset', solar: 'sunset', part: 'evening' },
  { name: 'blueHour', solar: 'blueHourEveningStart', part: 'evening' },
  { name: 'dusk', solar: 'civilDusk', part: 'evening' },
];

/** The sun seen from `place`, by the triggers' `Sun`. */
export function solarModel(clock: Clock, place: Place): SunModel {
  const sun = new Sun(clock, place);
  return {
    position(ms) {
      const { elevation, azimuth } = sunPosition(ms, place);
      return { elevation, azimuth };
    },
    next(afterMs) {
      const after = DateTime.fromMillis(afterMs, { zone: clock.zone });
      const found: SunEvent[] = [];
      for (const entry of EVENT_TABLE) {
        const at = sun.next(entry.solar, after);
        if (at) found.push({ name: entry.name, ms: at.toMillis(), part: entry.part });
      }
      if (found.length === 0) return [];
      const first = Math.min(...found.map((event) => event.ms));
      // Civil dawn and the morning blue hour share an instant: both fire, in table order.
      return found.filter((event) => event.ms === first);
    },
  };
}
