/**
 * Checks a value written to a RuleThing property against its description, as gateway-addon's
 * `Property.setValue` does (read-only, type, range, multipleOf, enum) plus `pattern`, but answers
 * with a sentence that names the thing, the property, the bad value and the allowed form.
 */
import type { JsonValue } from '../protocol/gateway';

/** The parts of a property description that constrain what may be written. */
export interface ValueRules {
  type: 'boolean' | 'number' | 'integer' | 'string';
  readOnly?: boolean;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  enum?: JsonValue[];
  /** A JSON-schema pattern for strings. */
  pattern?: string;
  /** Says the allowed form in words when a pattern alone would be cryptic ("HH:MM, 24-hour"). */
  form?: string;
}

/** The constraints of a property description, whatever else the description carries. */
export function valueRulesOf(
  description: Omit<ValueRules, 'enum'> & { enum?: readonly unknown[] }
): ValueRules {
  const { type, readOnly, minimum, maximum, multipleOf, pattern, form } = description;
  return {
    type,
    readOnly,
    minimum,
    maximum,
    multipleOf,
    enum: description.enum as ValueRules['enum'],
    pattern,
    form,
  };
}

/** The pattern rules use for "HH:MM" settings, and its form in words. */
export const TIME_OF_DAY_PATTERN = '^([01]\\d|2[0-3]):[0-5]\\d$';
const KNOWN_FORMS: Record<string, string> = {
  [TIME_OF_DAY_PATTERN]: 'a time of day as HH:MM, 00:00 to 23:59',
  '^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$':
    'a time of day as HH:MM or HH:MM:SS, 00:00 to 23:59:59',
};

/** Short, quoted, safe to show: long or odd input is cut so a message stays one readable line. */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The allowed form of a property's values in words: "a number from 0 to 100", "one of "a", "b"". */
export function describeForm(rules: ValueRules): string {
  if (rules.form) return rules.form;
  if (rules.enum && rules.enum.length > 0) return `one of ${rules.enum.map(showValue).join(', ')}`;
  if (rules.pattern) return KNOWN_FORMS[rules.pattern] ?? `text matching /${rules.pattern}/`;
  const noun =
    rules.type === 'boolean'
      ? 'true or false'
      : rules.type === 'integer'
        ? 'a whole number'
        : rules.type === 'number'
          ? 'a number'
          : 'text';
  const range =
    rules.minimum !== undefined && rules.maximum !== undefined
      ? ` from ${rules.minimum} to ${rules.maximum}`
      : rules.minimum !== undefined
        ? ` of at least ${rules.minimum}`
        : rules.maximum !== undefined
          ? ` of at most ${rules.maximum}`
          : '';
  const step = rules.multipleOf !== undefined ? ` in steps of ${rules.multipleOf}` : '';
  return noun + range + step;
}

/**
 * Why `value` may not be written, or null when it may.
 *
 * @example problemWith({ type: 'string', pattern: TIME_OF_DAY_PATTERN }, '25:99')
 * // 'is not a time of day as HH:MM, 00:00 to 23:59'
 */
export function problemWith(rules: ValueRules, value: unknown): string | null {
  if (rules.readOnly) return 'is read-only';
  const form = describeForm(rules);
  switch (rules.type) {
    case 'boolean':
      if (typeof value !== 'boolean') return `is not ${form}`;
      break;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `is not ${form}`;
      if (rules.type === 'integer' && !Number.isInteger(value)) return `is not ${form}`;
      if (rules.minimum !== undefined && value < rules.minimum) {
        return `is below the minimum ${rules.minimum} (allowed: ${form})`;
      }
      if (rules.maximum !== undefined && value > rules.maximum) {
        return `is above the maximum ${rules.maximum} (allowed: ${form})`;
      }
      // As gateway-addon does: a quotient test, because % is unreliable for fractions.
      if (
        rules.multipleOf !== undefined &&
        Math.abs(value / rules.multipleOf - Math.round(value / rules.multipleOf)) > 1e-9
      ) {
        return `is not ${form}`;
      }
      break;
    case 'string':
      if (typeof value !== 'string') return `is not ${form}`;
      if (rules.pattern !== undefined && !new RegExp(rules.pattern).test(value)) {
        return `is not ${form}`;
      }
      break;
  }
  if (rules.enum && rules.enum.length > 0 && !rules.enum.some((allowed) => allowed === value)) {
    return `is not ${form}`;
  }
  return null;
}

/**
 * The full rejection sentence: the reason first, then thing, property, value and what stays.
 *
 * @example rejection('Morning Wake', 'alarmTime', '25:99', '06:30', 'is not a time of day as HH:MM')
 * // 'Refused: Morning Wake alarmTime "25:99" is not a time of day as HH:MM; it stays "06:30"'
 */
export function rejection(
  thing: string,
  property: string,
  value: unknown,
  kept: unknown,
  problem: string
): string {
  const stays = kept === undefined ? '' : `; it stays ${showValue(kept)}`;
  return `Refused: ${thing} ${property} ${showValue(value)} ${problem}${stays}`;
}
