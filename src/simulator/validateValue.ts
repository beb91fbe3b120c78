/** Checks a property value against its description the way gateway-addon's Property.setValue does, but says why. */
import { JsonValue, PropertyDescription } from '../protocol/gateway';
import { showValue } from './SimulatorError';

// The gateway UI writes and expects "#rrggbb"; anything else would break its colour picker.
const COLOR = /^#[0-9a-fA-F]{6}$/;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function typeMismatch(type: PropertyDescription['type'], value: unknown): string | null {
  const actual = typeOf(value);
  switch (type) {
    case undefined:
      return null;
    case 'integer':
      return Number.isInteger(value) ? null : `expected an integer, got ${actual}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? null
        : `expected a number, got ${actual}`;
    default:
      return actual === type ? null : `expected ${type}, got ${actual}`;
  }
}

/**
 * Why `value` is not acceptable for a property described by `description`, or null when it is.
 * Read-only is not checked here: a device may report its own read-only values.
 * @example validateValue({ type: 'integer', minimum: 0, maximum: 100 }, 150) // "150 is above the maximum 100"
 */
export function validateValue(description: PropertyDescription, value: unknown): string | null {
  if (value === undefined) return 'no value given';
  const mismatch = typeMismatch(description.type, value);
  if (mismatch) return mismatch;
  if (typeof value === 'number') {
    if (description.minimum !== undefined && value < description.minimum) {
      return `${value} is below the minimum ${description.minimum}`;
    }
    if (description.maximum !== undefined && value > description.maximum) {
      return `${value} is above the maximum ${description.maximum}`;
    }
    const step = description.multipleOf;
    // Divide rather than use %, which misjudges decimal steps such as 0.1.
    if (step && Math.abs(value / step - Math.round(value / step)) > 1e-9) {
      return `${value} is not a multiple of ${step}`;
    }
  }
  if (description.enum && !description.enum.some((allowed) => sameJson(allowed, value))) {
    return `expected one of ${description.enum.map(showValue).join(', ')}`;
  }
  if (description['@type'] === 'ColorProperty' && !COLOR.test(String(value))) {
    return 'expected a colour "#rrggbb"';
  }
  return null;
}

function sameJson(a: JsonValue, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
