/** Every trigger rules can return from `triggers()`, the Sun condition helper, and the solar-event registry. */
export * from './Trigger';
export { TimeTrigger, type Occurrence } from './TimeTrigger';
export { HeartBeat } from './HeartBeat';
export { AbsoluteTimeTrigger, type AbsoluteTimeOptions } from './AbsoluteTimeTrigger';
export { DelayTimer } from './DelayTimer';
export { DurationTimer, type DurationTimerOptions } from './DurationTimer';
export {
  AbsoluteTimeWithDuration,
  type AbsoluteTimeWithDurationOptions,
} from './AbsoluteTimeWithDuration';
export { DailyEventTrigger, type DailyEventOptions, formatPlace } from './DailyEventTrigger';
export { SolarEventTrigger } from './SolarEventTrigger';
export { ElevationTrigger } from './ElevationTrigger';
export {
  MoonPhaseTrigger,
  MOON_PHASES,
  nextMoonPhase,
  type MoonPhase,
  type MoonPhaseOptions,
} from './MoonPhaseTrigger';
export { RahukaalTrigger, rahukaal, RAHUKAAL_SEGMENT } from './RahukaalTrigger';
export { Sun, type SunMoment } from './Sun';
export { sunPosition, sunElevation, type SunPosition, type Direction } from './solar';
export {
  SOLAR_EVENTS,
  SOLAR_EVENT_NAMES,
  isSolarEventName,
  solarEvent,
  elevationEvent,
  eventsOnDay,
  type SolarEventName,
  type SolarEventDefinition,
  type ElevationEvent,
  type ExtremumEvent,
} from './solarEvents';
export {
  parseTimeOfDay,
  formatTimeOfDay,
  parseDays,
  describeDays,
  localInstant,
  nextTimeOfDay,
  type TimeOfDay,
  type Days,
  type DayName,
} from './timeOfDay';
