/** Checks on property values: does a value fit its declared type, and did it really change. */
import type { JsonValue, PropertyDescription, ThingDescription } from '../protocol/gateway';
import { excerpt } from './errors';

/**
 * True when `value` fits the property's declared JSON type. `null` always fits: the gateway
 * reports it for a value the device has not told it yet. `integer` accepts any number because
 * JSON gives 50.0 and 50 the same text.
 */
export function fitsType(type: PropertyDescription['type'], value: unknown): value is JsonValue {
  if (value === null) return true;
  switch (type) {
    case undefined:
      return value !== undefined;
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
    case 'integer':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'null':
      return false;
    default:
      // A type this client does not know (schema extensions): let the value through.
      return value !== undefined;
  }
}

/** Deep equality of JSON values; primitives are compared first because they are the common case. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) {
    if (!Object.hasOwn(b, k)) return false;
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  }
  return true;
}

/** The warning for a value that does not fit its property's declared type. */
export function badValueMessage(
  description: ThingDescription,
  name: string,
  value: unknown
): string {
  return `"${description.title}" reported ${excerpt(value, 60)} for "${name}", which is declared ${description.properties[name].type}; ignored`;
}

/** A JSON object (not null, not an array): what a message's `data` must be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
