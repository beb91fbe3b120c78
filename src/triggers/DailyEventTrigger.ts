/** Base of the triggers whose instants are found per local day from the sun (solar events, elevations, Rahu Kaal), with an optional offset. */
import type { DateTime } from 'luxon';
import { parseDuration } from '../clock';
import { nextDaily } from './solarEvents';
import { TimeTrigger } from './TimeTrigger';
import type { Place } from './Trigger';

export interface DailyEventOptions {
  /** Shift from the event: "-10m" is ten minutes before, "1h" an hour after. */
  offset?: string | number;
  /** A place of its own, overriding the rule system's configured place. */
  place?: Place;
}

export abstract class DailyEventTrigger extends TimeTrigger {
  override readonly isAlarm = true;
  /** The shift from the event in milliseconds (negative = before). */
  readonly offsetMs: number;
  private readonly ownPlace?: Place;
  // the day (ISO date) last warned about, so a gap is reported once and not at every arming
  private warnedDay?: string;

  constructor(options: DailyEventOptions = {}) {
    super();
    this.offsetMs = options.offset === undefined ? 0 : parseDuration(options.offset);
    this.ownPlace = options.place;
  }

  /** The event's instants (without offset) on the local day containing `day`, in order. */
  abstract onDay(day: DateTime, place?: Place): DateTime[];

  /** A noun phrase for the event without offset: "civil dusk", "the start of Rahu Kaal". */
  protected abstract eventPhrase(): string;

  next(after: DateTime, place?: Place): DateTime | null {
    const where = this.placeFor(place);
    return nextDaily((day) => this.onDay(day, where), after, this.offsetMs);
  }

  protected override placeFor(place?: Place): Place {
    return super.placeFor(place ?? this.ownPlace);
  }

  /** Says so when the event skips today (or days before the next one): polar day or night. */
  protected override armed(after: DateTime, next: DateTime | null): void {
    const context = this.context;
    if (!context) return;
    const place = this.placeFor();
    // Days of the event itself, which an offset may put on another day than its firing.
    const today = after.minus({ milliseconds: this.offsetMs }).startOf('day');
    const where = `at ${formatPlace(place)}`;
    const todayHas = this.onDay(today, place).length > 0;
    const nextDay = next?.minus({ milliseconds: this.offsetMs }).startOf('day');
    // Days strictly between today and the next event's day have none, or it would be next.
    const gap = !todayHas || !nextDay || nextDay > today.plus({ days: 1 });
    if (!gap) return;
    const missing = todayHas ? today.plus({ days: 1 }) : today;
    const key = missing.toISODate() ?? '';
    if (this.warnedDay === key) return;
    this.warnedDay = key;
    const phrase = this.eventPhrase();
    const when = next?.toFormat('yyyy-MM-dd HH:mm');
    context.warn(
      next
        ? `${phrase} does not happen on ${key} ${where}; next: ${when} (${this.describe()})`
        : `${phrase} does not happen ${where} within a year of ${key}; "${this.describe()}" will not fire`
    );
  }
}

/** "69.65°N 18.96°E". */
export function formatPlace(place: Place): string {
  const lat = `${Math.abs(place.latitude).toFixed(2)}°${place.latitude < 0 ? 'S' : 'N'}`;
  const lon = `${Math.abs(place.longitude).toFixed(2)}°${place.longitude < 0 ? 'W' : 'E'}`;
  return `${lat} ${lon}`;
}
