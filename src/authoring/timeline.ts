/** The dry run's timeline: its entries, the calendar lines (sun events, DST changes) of a stretch of days, and the text a person reads. */
import { DateTime, FixedOffsetZone } from 'luxon';
import type { JsonValue } from '../protocol/gateway';
import { eventsOnDay, SOLAR_EVENTS, SolarEventName } from '../triggers/solarEvents';
import type { Place } from '../triggers/Trigger';

/** What a line of the timeline records. */
export type TimelineKind =
  /** A solar event of the day at the simulated place. */
  | 'sun'
  /** The clocks change (daylight saving time starts or ends). */
  | 'dst'
  /** A rule's trigger fired and its action ran. */
  | 'fired'
  /** A property of a thing changed (every change in a dry run comes from a rule). */
  | 'set'
  /** A rule requested an action of a thing. */
  | 'action'
  /** Something a rule or trigger reported: a refused run, a skipped solar event. */
  | 'warning'
  /** A rule failed (load error, exception in its action). */
  | 'error';

/** One line of a dry run, in JSON as `--json` prints it. */
export interface TimelineEntry {
  /** The instant, ISO 8601 in local time with its offset: "2027-03-29T06:30:00.000+02:00". */
  at: string;
  kind: TimelineKind;
  /** The rule's class name, for `fired`, and for `set` when one rule alone was running. */
  rule?: string;
  /** The trigger in English ("at 06:30 on weekdays"), for `fired`. */
  trigger?: string;
  /** The thing's title and id, for `set` and `action`. */
  thing?: string;
  thingId?: string;
  /** The property (or action) name. */
  property?: string;
  from?: JsonValue;
  to?: JsonValue;
  /** The line as a person reads it, without the time. */
  text: string;
}

/** The stretch of time a dry run covers, and where. */
export interface TimelineWindow {
  from: DateTime;
  until: DateTime;
  zone: string;
  place?: Place;
}

/** The solar events shown for each day unless told otherwise. */
export const DEFAULT_SUN_EVENTS: readonly SolarEventName[] = ['sunrise', 'sunset'];

/** The sun lines of every local day in [from, until): each event at the place, or a note that it does not happen. */
export function sunEntries(
  window: TimelineWindow,
  events: readonly SolarEventName[] = DEFAULT_SUN_EVENTS
): TimelineEntry[] {
  const { place } = window;
  if (!place) return [];
  const entries: TimelineEntry[] = [];
  for (let day = window.from.startOf('day'); day < window.until; day = day.plus({ days: 1 })) {
    for (const name of events) {
      const definition = SOLAR_EVENTS[name];
      const instants = eventsOnDay(definition, day, place).filter(
        (at) => at >= window.from && at < window.until
      );
      for (const at of instants)
        entries.push({ at: iso(at), kind: 'sun', text: definition.phrase });
      const dayStart = day < window.from ? window.from : day;
      if (instants.length === 0 && eventsOnDay(definition, day, place).length === 0) {
        entries.push({ at: iso(dayStart), kind: 'sun', text: `no ${definition.phrase} today` });
      }
    }
  }
  return entries;
}

/** The clock changes in [from, until), found by bisecting between instants of different offset. */
export function dstEntries(window: TimelineWindow): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const zone = window.zone;
  const offsetAt = (ms: number): number => DateTime.fromMillis(ms, { zone }).offset;
  const step = 6 * 3_600_000;
  const end = window.until.toMillis();
  for (let ms = window.from.toMillis(); ms < end; ms += step) {
    const next = Math.min(ms + step, end);
    if (offsetAt(ms) === offsetAt(next)) continue;
    let low = ms;
    let high = next;
    // Zone transitions fall on whole seconds; bisect to the millisecond anyway, it is cheap.
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (offsetAt(mid) === offsetAt(low)) low = mid;
      else high = mid;
    }
    const before = offsetAt(low);
    const after = offsetAt(high);
    const wallBefore = DateTime.fromMillis(high, { zone: FixedOffsetZone.instance(before) });
    const wallAfter = DateTime.fromMillis(high, { zone });
    const forward = after > before;
    const amount = describeMinutes(Math.abs(after - before));
    entries.push({
      at: iso(wallAfter),
      kind: 'dst',
      text:
        `clocks go ${forward ? 'forward' : 'back'} ${amount}: ${wallBefore.toFormat('HH:mm')} ` +
        `becomes ${wallAfter.toFormat('HH:mm')} (UTC${formatOffset(before)} → UTC${formatOffset(after)})`,
    });
  }
  return entries;
}

function describeMinutes(minutes: number): string {
  if (minutes === 60) return 'one hour';
  if (minutes % 60 === 0) return `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

/** "+01:00" for 60 minutes. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The ISO form every entry uses: local time with offset and milliseconds. */
export function iso(at: DateTime): string {
  return at.toISO({ includeOffset: true, suppressMilliseconds: false }) ?? at.toString();
}

/** Entries in time order; at the same instant calendar lines come first, then in the order they happened. */
export function sortEntries(entries: TimelineEntry[]): TimelineEntry[] {
  const rank = (e: TimelineEntry): number => (e.kind === 'dst' ? 0 : e.kind === 'sun' ? 1 : 2);
  return entries
    .map((entry, index) => ({
      entry,
      index,
      ms: DateTime.fromISO(entry.at, { setZone: true }).toMillis(),
    }))
    .sort((a, b) => a.ms - b.ms || rank(a.entry) - rank(b.entry) || a.index - b.index)
    .map(({ entry }) => entry);
}

/** A value as the timeline shows it: JSON, cut short. */
export function showJson(value: JsonValue | undefined): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

// A run of this many sets of one property in a row (a fade) is printed as one line.
const COALESCE_FROM = 3;

/**
 * The timeline as text: a heading per local day with its UTC offset (both, on a DST day), then
 * one line per entry with the local time. Consecutive sets of one property (a fade) become one
 * line "06:10–06:30 Bedside Ikea Light level: 1 → 100 (100 steps)".
 */
export function formatTimeline(
  entries: TimelineEntry[],
  window: TimelineWindow,
  title: string,
  options: { showRules?: boolean } = {}
): string {
  const zone = window.zone;
  const lines: string[] = [title];
  const where = window.place
    ? `, ${window.place.latitude.toFixed(2)}, ${window.place.longitude.toFixed(2)}`
    : '';
  lines.push(
    `${window.from.toFormat('ccc yyyy-MM-dd HH:mm')} to ${window.until.toFormat('ccc yyyy-MM-dd HH:mm')}, ${zone}${where}`
  );
  const local = entries.map((entry) => ({
    entry,
    at: DateTime.fromISO(entry.at, { setZone: true }).setZone(zone),
  }));
  let day = '';
  for (let i = 0; i < local.length; i++) {
    const { entry, at } = local[i];
    const date = at.toISODate() ?? '';
    if (date !== day) {
      day = date;
      lines.push('', dayHeading(at));
    }
    const j = fadeEnd(local, i);
    if (j - i + 1 >= COALESCE_FROM) {
      const last = local[j];
      lines.push(
        `  ${clock(at)}–${clock(last.at)}  ${entry.thing} ${entry.property}: ${showJson(entry.from)} → ` +
          `${showJson(last.entry.to)} (${j - i + 1} steps${options.showRules && entry.rule ? `, ${entry.rule}` : ''})`
      );
      i = j;
      continue;
    }
    // A clock change is shown at the wall time it happens on the old clock ("02:00 becomes 03:00").
    const time =
      entry.kind === 'dst'
        ? clock(at.setZone(FixedOffsetZone.instance(at.minus({ milliseconds: 1 }).offset)))
        : entry.kind === 'sun'
          ? // Sun times are not worth seconds: the atmosphere alone moves them by a minute.
            clock(at.plus({ seconds: 30 }).startOf('minute'))
          : clock(at);
    const indent = entry.kind === 'set' || entry.kind === 'action' ? '    ' : '';
    lines.push(`  ${time}  ${indent}${entry.text}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The index of the last entry of the fade that starts at `start`: consecutive changes of one
 * numeric property on one day that keep moving the same way. A jump the other way (a fade that
 * first resets the level to 1) is not part of it.
 */
function fadeEnd(local: { entry: TimelineEntry; at: DateTime }[], start: number): number {
  const first = local[start];
  const direction = (e: TimelineEntry): number =>
    typeof e.from === 'number' && typeof e.to === 'number' ? Math.sign(e.to - e.from) : 0;
  const sign = direction(first.entry);
  if (first.entry.kind !== 'set' || sign === 0) return start;
  let end = start;
  while (end + 1 < local.length) {
    const next = local[end + 1];
    if (
      next.entry.kind !== 'set' ||
      next.entry.thingId !== first.entry.thingId ||
      next.entry.property !== first.entry.property ||
      next.at.toISODate() !== first.at.toISODate() ||
      direction(next.entry) !== sign
    ) {
      break;
    }
    end++;
  }
  return end;
}

/** "Sun 2027-03-28 (UTC+01:00 → UTC+02:00)": the day and its offset, both when the clocks change that day. */
function dayHeading(at: DateTime): string {
  const start = at.startOf('day');
  const end = start.plus({ days: 1 }).minus({ milliseconds: 1 });
  const offsets =
    start.offset === end.offset
      ? `UTC${formatOffset(start.offset)}`
      : `UTC${formatOffset(start.offset)} → UTC${formatOffset(end.offset)}`;
  return `${start.toFormat('ccc yyyy-MM-dd')} (${offsets})`;
}

/** "06:30", or "06:30:15" when the seconds are not zero. */
function clock(at: DateTime): string {
  return at.toFormat(at.second === 0 ? 'HH:mm' : 'HH:mm:ss');
}
