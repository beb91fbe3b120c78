/** Value equality for property values as they travel over JSON: colours, numbers and small objects. */
import type { JsonValue } from '../protocol/gateway';

/** True when two property values are the same (deep, for objects and arrays). */
export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export { showValue } from '../protocol/showValue';
