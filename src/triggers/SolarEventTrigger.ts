/** SolarEventTrigger: fires at a named solar event (sunrise, civil dusk, golden hour …) for the configured place, optionally offset. */
import type { DateTime } from 'luxon';
import { DailyEventOptions, DailyEventTrigger } from './DailyEventTrigger';
import {
  describeWithOffset,
  eventsOnDay,
  SolarEventDefinition,
  SolarEventName,
  solarEvent,
} from './solarEvents';
import type { Place } from './Trigger';

export class SolarEventTrigger extends DailyEventTrigger {
  readonly definition: SolarEventDefinition;

  /**
   * @param event a name from SOLAR_EVENTS: 'sunrise', 'sunset', 'solarNoon', 'civilDusk',
   *   'goldenHourEveningStart', 'nightStart' …
   * @example new SolarEventTrigger('civilDusk', { offset: '-10m' }) // "10 minutes before civil dusk"
   * @throws Error naming an unknown event and listing the known ones.
   */
  constructor(
    readonly event: SolarEventName,
    options: DailyEventOptions = {}
  ) {
    super(options);
    this.definition = solarEvent(event);
  }

  describe(): string {
    const phrase = describeWithOffset(this.definition.phrase, this.offsetMs);
    return this.offsetMs === 0 ? `at ${phrase}` : phrase;
  }

  onDay(day: DateTime, place?: Place): DateTime[] {
    return eventsOnDay(this.definition, day, this.placeFor(place));
  }

  protected eventPhrase(): string {
    const phrase = this.definition.phrase;
    return phrase.charAt(0).toUpperCase() + phrase.slice(1);
  }
}
