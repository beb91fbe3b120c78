/** The one error type of the simulated home: a short fixed reason plus the thing, property and value it concerns. */
import { JsonValue } from '../protocol/gateway';

export type SimulatorErrorCode =
  | 'unknown-thing'
  | 'unknown-property'
  | 'unknown-action'
  | 'unknown-event'
  | 'duplicate-thing'
  | 'read-only'
  | 'invalid-value'
  | 'disconnected';

export class SimulatorError extends Error {
  constructor(
    readonly code: SimulatorErrorCode,
    message: string,
    readonly thingId?: string,
    readonly property?: string,
    readonly value?: JsonValue
  ) {
    super(message);
    this.name = 'SimulatorError';
  }
}

/** JSON text of a value for an error message, cut short so a huge payload cannot flood a log. */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The thing an error is about, as people know it and as code knows it. */
interface Named {
  id: string;
  title: string;
}

const who = (thing: Named): string => `"${thing.title}" (${thing.id})`;

export function unknownThing(thingId: string): SimulatorError {
  return new SimulatorError('unknown-thing', `Unknown thing: "${thingId}"`, thingId);
}

/** "Unknown property: "Kettle" (kettle) has no property "level" (it has on)" */
export function unknownMember(
  kind: 'property' | 'action' | 'event',
  thing: Named,
  name: string,
  known: string[]
): SimulatorError {
  const reason = `Unknown ${kind}: ${who(thing)} has no ${kind} "${name}"`;
  return new SimulatorError(
    `unknown-${kind}`,
    `${reason} (it has ${known.join(', ') || 'none'})`,
    thing.id,
    kind === 'property' ? name : undefined
  );
}

export function readOnly(thing: Named, name: string, value: JsonValue): SimulatorError {
  const message = `Read-only property: ${who(thing)} property "${name}" cannot be set to ${showValue(value)}`;
  return new SimulatorError('read-only', message, thing.id, name, value);
}

export function invalidValue(
  thing: Named,
  name: string,
  value: JsonValue,
  reason: string,
  kind: 'property' | 'action' = 'property'
): SimulatorError {
  const what = kind === 'property' ? 'Invalid property value' : 'Invalid action input';
  const message = `${what}: ${who(thing)} ${kind} "${name}" = ${showValue(value)}: ${reason}`;
  return new SimulatorError('invalid-value', message, thing.id, name, value);
}
