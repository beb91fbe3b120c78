/**
 * The one registry of solar events, each defined by the sun's elevation (never by a fixed
 * offset from sunrise, which drifts with season and latitude); SolarEventTrigger, Sun and
 * every describe() read it, and the day-by-day search that finds them lives here too.
 */
import type { DateTime } from 'luxon';
import { describeDuration } from '../clock';
import { crossings, Direction, extrema, sunElevation } from './solar';
import type { Place } from './Trigger';

/** An event where the sun's centre crosses `degrees` of geometric elevation. */
export interface ElevationEvent {
  kind: 'elevation';
  degrees: number;
  direction: Direction;
  /** English noun phrase: "civil dusk", "the start of the evening golden hour". */
  phrase: string;
}

/** The sun's highest or lowest point of the day. */
export interface ExtremumEvent {
  kind: 'extremum';
  which: 'max' | 'min';
  phrase: string;
}

export type SolarEventDefinition = ElevationEvent | ExtremumEvent;

// Sunrise/sunset: centre 0.833° below the horizon (0.566° refraction + 0.267° semi-diameter).
const HORIZON = -0.833;
const CIVIL = -6;
const NAUTICAL = -12;
const ASTRONOMICAL = -18;
// Golden hour spans −4°..+6°, blue hour −6°..−4° (the photographers' convention, as in astral).
const GOLDEN_TOP = 6;
const BLUE_GOLDEN = -4;

const rising = (degrees: number, phrase: string): ElevationEvent => ({
  kind: 'elevation',
  degrees,
  direction: 'rising',
  phrase,
});
const setting = (degrees: number, phrase: string): ElevationEvent => ({
  kind: 'elevation',
  degrees,
  direction: 'setting',
  phrase,
});

/** event name -> its definition */
export const SOLAR_EVENTS = {
  sunrise: rising(HORIZON, 'sunrise'),
  sunset: setting(HORIZON, 'sunset'),
  solarNoon: { kind: 'extremum', which: 'max', phrase: 'solar noon' },
  solarMidnight: { kind: 'extremum', which: 'min', phrase: 'solar midnight' },
  civilDawn: rising(CIVIL, 'civil dawn'),
  civilDusk: setting(CIVIL, 'civil dusk'),
  nauticalDawn: rising(NAUTICAL, 'nautical dawn'),
  nauticalDusk: setting(NAUTICAL, 'nautical dusk'),
  astronomicalDawn: rising(ASTRONOMICAL, 'astronomical dawn'),
  astronomicalDusk: setting(ASTRONOMICAL, 'astronomical dusk'),
  goldenHourMorningStart: rising(BLUE_GOLDEN, 'the start of the morning golden hour'),
  goldenHourMorningEnd: rising(GOLDEN_TOP, 'the end of the morning golden hour'),
  goldenHourEveningStart: setting(GOLDEN_TOP, 'the start of the evening golden hour'),
  goldenHourEveningEnd: setting(BLUE_GOLDEN, 'the end of the evening golden hour'),
  blueHourMorningStart: rising(CIVIL, 'the start of the morning blue hour'),
  blueHourMorningEnd: rising(BLUE_GOLDEN, 'the end of the morning blue hour'),
  blueHourEveningStart: setting(BLUE_GOLDEN, 'the start of the evening blue hour'),
  blueHourEveningEnd: setting(CIVIL, 'the end of the evening blue hour'),
  nightStart: setting(ASTRONOMICAL, 'nightfall'),
  nightEnd: rising(ASTRONOMICAL, 'the end of the night'),
} as const satisfies Record<string, SolarEventDefinition>;

export type SolarEventName = keyof typeof SOLAR_EVENTS;

export const SOLAR_EVENT_NAMES = Object.keys(SOLAR_EVENTS) as SolarEventName[];

export function isSolarEventName(name: unknown): name is SolarEventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SOLAR_EVENTS, name);
}

/**
 * The definition of a named event.
 *
 * @example solarEvent('civilDusk') // { kind: 'elevation', degrees: -6, direction: 'setting', … }
 * @throws Error naming the unknown event and listing the known ones.
 */
export function solarEvent(name: string): SolarEventDefinition {
  if (!isSolarEventName(name)) {
    throw new Error(
      `Unknown solar event: ${JSON.stringify(String(name).slice(0, 40))} (use one of ${SOLAR_EVENT_NAMES.join(', ')})`
    );
  }
  return SOLAR_EVENTS[name];
}

/** An elevation crossing that is not in the registry: "the sun sinks below 3°". */
export function elevationEvent(degrees: number, direction: Direction): ElevationEvent {
  if (!Number.isFinite(degrees) || degrees < -90 || degrees > 90) {
    throw new Error(`Invalid elevation: ${JSON.stringify(degrees)} (use degrees from -90 to 90)`);
  }
  if (direction !== 'rising' && direction !== 'setting') {
    throw new Error(`Invalid direction: ${JSON.stringify(direction)} (use 'rising' or 'setting')`);
  }
  const verb = direction === 'rising' ? 'rises above' : 'sinks below';
  return { kind: 'elevation', degrees, direction, phrase: `the sun ${verb} ${degrees}°` };
}

/** The instants of `event` on the local day that contains `day` (in its zone), in order; empty if it does not happen. */
export function eventsOnDay(event: SolarEventDefinition, day: DateTime, place: Place): DateTime[] {
  const start = day.startOf('day');
  const startMs = start.toMillis();
  const endMs = start.plus({ days: 1 }).toMillis();
  const found =
    event.kind === 'extremum'
      ? extrema((ms) => sunElevation(ms, place), startMs, endMs, event.which === 'max' ? 1 : -1)
      : crossings(place, event.degrees, startMs, endMs)
          .filter((c) => c.direction === event.direction)
          .map((c) => c.ms);
  return found.map((ms) => start.plus({ milliseconds: ms - startMs }));
}

// Solar events give up after a year: an event that does not happen by then is reported, not guessed.
export const SEARCH_DAYS = 366;

/**
 * The first instant strictly after `after` of any of the per-day instants that `onDay` lists
 * (shifted by `offsetMs`), scanning local days forward; null when none within `SEARCH_DAYS`.
 */
export function nextDaily(
  onDay: (day: DateTime) => DateTime[],
  after: DateTime,
  offsetMs = 0
): DateTime | null {
  // An event on an earlier day than (after − offset) cannot, shifted, land after `after`.
  const first = after.minus({ milliseconds: offsetMs }).startOf('day');
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    for (const instant of onDay(first.plus({ days: i }))) {
      const shifted = instant.plus({ milliseconds: offsetMs });
      if (shifted > after) return shifted;
    }
  }
  return null;
}

/** The last instant at or before `before` of the per-day instants (shifted by `offsetMs`); null when none within a year. */
export function previousDaily(
  onDay: (day: DateTime) => DateTime[],
  before: DateTime,
  offsetMs = 0
): DateTime | null {
  const last = before.minus({ milliseconds: offsetMs }).startOf('day');
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const instants = onDay(last.minus({ days: i }));
    for (let j = instants.length - 1; j >= 0; j--) {
      const shifted = instants[j].plus({ milliseconds: offsetMs });
      if (shifted <= before) return shifted;
    }
  }
  return null;
}

/** "sunset", "10 minutes before civil dusk", "1 hour after the start of the morning golden hour". */
export function describeWithOffset(phrase: string, offsetMs: number): string {
  if (offsetMs === 0) return phrase;
  return `${describeDuration(offsetMs)} ${offsetMs < 0 ? 'before' : 'after'} ${phrase}`;
}
