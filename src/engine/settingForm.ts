/**
 * The allowed form of a rule setting, inferred from its default ("06:30" is a time of day, "20m" a
 * duration, 20 a number) and narrowed by options; checks a value against it and says why not.
 */
import { parseDuration } from '../clock';
import type { SettingInfo } from './messages';

export type SettingValue = string | number | boolean;

/** What `this.setting(name, default, options)` may say beyond the default. */
export interface SettingOptions {
  /** Label in the gateway UI; defaults to the name in words ("alarmTime" → "Alarm time"). */
  title?: string;
  description?: string;
  /** For numbers: "integer" when only whole numbers make sense. */
  type?: 'number' | 'integer';
  minimum?: number;
  maximum?: number;
  enum?: SettingValue[];
  /** A regular expression the whole string must match. */
  pattern?: string;
  unit?: string;
  /** The rule starts again (its `triggers()` runs anew) when this setting changes, e.g. a solar event's name or offset. */
  restart?: boolean;
}

/** "time" for "HH:MM[:SS]", "duration" for "20m" and the like, else the JSON type. */
export type SettingKind = 'time' | 'duration' | 'text' | 'number' | 'integer' | 'boolean';

const TIME_SHAPE = /^\d{1,2}:\d{2}(:\d{2})?$/;
export const TIME_PATTERN = '^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$';
const DURATION_SHAPE = /^-?(\d+(\.\d+)?\s*(ms|s|m|h|d)\s*)+$/i;

export function inferKind(defaultValue: SettingValue, options: SettingOptions): SettingKind {
  if (typeof defaultValue === 'boolean') return 'boolean';
  if (typeof defaultValue === 'number') return options.type ?? 'number';
  if (options.pattern || options.enum) return 'text';
  if (TIME_SHAPE.test(defaultValue)) return 'time';
  if (DURATION_SHAPE.test(defaultValue.trim())) return 'duration';
  return 'text';
}

/** The JSON-schema-ish description the add-on turns into a RuleThing property. */
export function settingSchema(
  kind: SettingKind,
  options: SettingOptions
): Pick<SettingInfo, 'type' | 'minimum' | 'maximum' | 'enum' | 'pattern' | 'unit'> {
  const type = kind === 'time' || kind === 'duration' || kind === 'text' ? 'string' : kind;
  const pattern = kind === 'time' ? TIME_PATTERN : options.pattern;
  return {
    type,
    ...(options.minimum !== undefined ? { minimum: options.minimum } : {}),
    ...(options.maximum !== undefined ? { maximum: options.maximum } : {}),
    ...(options.enum ? { enum: options.enum } : {}),
    ...(pattern ? { pattern } : {}),
    ...(options.unit ? { unit: options.unit } : {}),
  };
}

/** In words, what a setting of this form accepts: the second half of every rejection. */
export function allowedForm(kind: SettingKind, options: SettingOptions): string {
  if (options.enum) return `one of ${options.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  switch (kind) {
    case 'time':
      return 'a time of day "HH:MM" (00:00 to 23:59)';
    case 'duration':
      return 'a duration such as "90s", "20m" or "1h30m"';
    case 'boolean':
      return 'true or false';
    case 'number':
    case 'integer': {
      const what = kind === 'integer' ? 'a whole number' : 'a number';
      if (options.minimum !== undefined && options.maximum !== undefined)
        return `${what} from ${options.minimum} to ${options.maximum}`;
      if (options.minimum !== undefined) return `${what} of at least ${options.minimum}`;
      if (options.maximum !== undefined) return `${what} of at most ${options.maximum}`;
      return what;
    }
    default:
      return options.pattern ? `text matching /${options.pattern}/` : 'text';
  }
}

/** Whether `value` fits the form (type, range, enum, pattern). */
export function fitsForm(kind: SettingKind, options: SettingOptions, value: unknown): boolean {
  if (options.enum && !options.enum.includes(value as SettingValue)) return false;
  switch (kind) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (kind === 'number' || Number.isInteger(value)) &&
        (options.minimum === undefined || value >= options.minimum) &&
        (options.maximum === undefined || value <= options.maximum)
      );
    case 'time':
      return typeof value === 'string' && new RegExp(TIME_PATTERN).test(value);
    case 'duration':
      return typeof value === 'string' && DURATION_SHAPE.test(value.trim()) && parses(value);
    default:
      return (
        typeof value === 'string' && (!options.pattern || new RegExp(options.pattern).test(value))
      );
  }
}

function parses(value: string): boolean {
  try {
    parseDuration(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The name in words, for a title.
 *
 * @example titleOf('alarmTime') // 'Alarm time'
 */
export function titleOf(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
