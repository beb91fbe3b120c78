/** Times of day ("06:30") and days of the week: strict parsing, English wording, and DST-correct local instants. */
import { DateTime, IANAZone } from 'luxon';

/** A wall-clock time, 24-hour. */
export interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
}

export type DayName = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Which days a daily trigger fires on. */
export type Days = 'daily' | 'weekdays' | 'weekends' | readonly DayName[];

// index = luxon weekday - 1 (Monday is 1 in luxon and ISO 8601)
export const DAY_NAMES: readonly DayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY_WORDS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const ALLOWED_TIME = 'HH:MM or HH:MM:SS (24-hour), e.g. "06:30"';

/** Quotes a user's value for an error message without echoing a 10,000-character paste. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * Parses "06:30" or "06:30:15" strictly (two digits each, 24-hour); the add-on validates the
 * RuleThing's alarm-time setting with it, so the message is written for the person who typed it.
 *
 * @example parseTimeOfDay('06:30') // { hour: 6, minute: 30, second: 0 }
 * @throws Error `Invalid time of day: "25:99" (use HH:MM or HH:MM:SS (24-hour), e.g. "06:30")`
 */
export function parseTimeOfDay(text: unknown): TimeOfDay {
  const match = typeof text === 'string' ? TIME_OF_DAY.exec(text) : null;
  if (!match) throw new Error(`Invalid time of day: ${quote(text)} (use ${ALLOWED_TIME})`);
  return { hour: Number(match[1]), minute: Number(match[2]), second: Number(match[3] ?? 0) };
}

/** "06:30", or "06:30:15" when the seconds matter. */
export function formatTimeOfDay(time: TimeOfDay): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const hm = `${two(time.hour)}:${two(time.minute)}`;
  return time.second ? `${hm}:${two(time.second)}` : hm;
}

/**
 * The set of luxon weekdays (1 = Monday … 7 = Sunday) that `days` names.
 *
 * @example parseDays('weekdays') // Set {1, 2, 3, 4, 5}
 * @throws Error naming the bad value and the allowed forms.
 */
export function parseDays(days: Days = 'daily'): ReadonlySet<number> {
  if (days === 'daily') return new Set([1, 2, 3, 4, 5, 6, 7]);
  if (days === 'weekdays') return new Set([1, 2, 3, 4, 5]);
  if (days === 'weekends') return new Set([6, 7]);
  const allowed = `'daily', 'weekdays', 'weekends' or a non-empty list of ${DAY_NAMES.join(', ')}`;
  if (!Array.isArray(days) || days.length === 0) {
    throw new Error(`Invalid days: ${quote(JSON.stringify(days))} (use ${allowed})`);
  }
  const set = new Set<number>();
  for (const day of days) {
    const index = DAY_NAMES.indexOf(String(day).toLowerCase() as DayName);
    if (index < 0) throw new Error(`Invalid day: ${quote(day)} (use ${allowed})`);
    set.add(index + 1);
  }
  return set;
}

/** "every day", "on weekdays", "on weekends", "on Mon, Wed and Fri". */
export function describeDays(weekdays: ReadonlySet<number>): string {
  const sorted = [...weekdays].sort();
  const key = sorted.join('');
  if (key === '1234567') return 'every day';
  if (key === '12345') return 'on weekdays';
  if (key === '67') return 'on weekends';
  const words = sorted.map((d) => DAY_WORDS[d - 1]);
  return `on ${words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words[0]}`;
}

/**
 * The instant a wall-clock time happens on a local date. Where the time happens twice (the
 * fall-back night) it is the first; where it never happens (spring-forward) it is bumped
 * forward by the gap, as luxon does, so a 02:30 alarm rings at 03:30 rather than not at all.
 */
export function localInstant(date: DateTime, time: TimeOfDay): DateTime {
  const zoneName = date.zoneName ?? 'UTC';
  const zone = IANAZone.create(zoneName);
  const wall = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, time.second);
  if (zone.isValid) {
    // Offsets in force a day either side cover both readings of an ambiguous hour.
    const offsets = new Set([zone.offset(wall - 86_400_000), zone.offset(wall + 86_400_000)]);
    const fits = [...offsets]
      .map((offset) => wall - offset * 60_000)
      .filter((instant) => zone.offset(instant) * 60_000 === wall - instant)
      .sort((a, b) => a - b);
    if (fits.length > 0) return DateTime.fromMillis(fits[0], { zone: zoneName });
  }
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, ...time },
    { zone: zoneName }
  );
}

/**
 * The first instant strictly after `after` at which `time` happens on one of `weekdays`,
 * read in `after`'s zone; null only when `weekdays` is empty.
 */
export function nextTimeOfDay(
  after: DateTime,
  time: TimeOfDay,
  weekdays: ReadonlySet<number>
): DateTime | null {
  // Start a day early: a bumped-forward or first-of-two instant may sit on either side of midnight.
  const first = after.startOf('day').minus({ days: 1 });
  for (let i = 0; i <= 8; i++) {
    const date = first.plus({ days: i });
    if (!weekdays.has(date.weekday)) continue;
    const instant = localInstant(date, time);
    if (instant > after) return instant;
  }
  return null;
}

/** The last instant at or before `before` at which `time` happened on one of `weekdays`. */
export function previousTimeOfDay(
  before: DateTime,
  time: TimeOfDay,
  weekdays: ReadonlySet<number>
): DateTime | null {
  const last = before.startOf('day').plus({ days: 1 });
  for (let i = 0; i <= 8; i++) {
    const date = last.minus({ days: i });
    if (!weekdays.has(date.weekday)) continue;
    const instant = localInstant(date, time);
    if (instant <= before) return instant;
  }
  return null;
}
