/** ElevationTrigger: fires when the sun crosses a given elevation while rising or setting ("when the sun sinks below 3°"). */
import type { DateTime } from 'luxon';
import { DailyEventOptions, DailyEventTrigger } from './DailyEventTrigger';
import { describeWithOffset, elevationEvent, ElevationEvent, eventsOnDay } from './solarEvents';
import type { Direction } from './solar';
import type { Place } from './Trigger';

export class ElevationTrigger extends DailyEventTrigger {
  readonly definition: ElevationEvent;

  /**
   * @param degrees geometric elevation of the sun's centre, −90..90.
   * @param direction 'rising' (morning) or 'setting' (evening).
   * @example new ElevationTrigger(3, 'setting') // "when the sun sinks below 3°"
   */
  constructor(degrees: number, direction: Direction, options: DailyEventOptions = {}) {
    super(options);
    this.definition = elevationEvent(degrees, direction);
  }

  describe(): string {
    const phrase = this.definition.phrase;
    return this.offsetMs === 0 ? `when ${phrase}` : describeWithOffset(phrase, this.offsetMs);
  }

  onDay(day: DateTime, place?: Place): DateTime[] {
    return eventsOnDay(this.definition, day, this.placeFor(place));
  }

  protected eventPhrase(): string {
    return this.definition.phrase.replace(/^the sun/, 'The sun');
  }
}
