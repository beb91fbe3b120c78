/** Value equality for property values as they travel over JSON: colours, numbers and small objects. */
import type { JsonValue } from '../protocol/gateway';

/** True when two property values are the same (deep, for objects and arrays). */
export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A value as people read it in logs and statuses: strings quoted, the rest as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
