/** Words for what a rule returned from `triggers()`, for its description and its firing records. */
import { Trigger } from '../triggers/Trigger';
import type { TriggerSource } from './Rule';
import { Setting } from './Setting';
import { settingTrigger } from './SettingTrigger';
import { handleOf, isThingProxy } from './ThingProxy';
import type { SettingValue } from './settingForm';

/** The trigger object that does the work behind what the rule returned. */
export function underlyingTrigger(source: TriggerSource): Trigger {
  if (isThingProxy(source)) return handleOf(source).changes;
  if (source instanceof Setting) return settingTrigger(source as Setting<SettingValue>);
  if (source instanceof Trigger) return source;
  throw new Error(
    `triggers() returned ${describeOdd(source)}: return things, thing.property(…), thing.event(…), ` +
      `settings or triggers such as new HeartBeat('2s')`
  );
}

export function describeSource(source: TriggerSource): string {
  try {
    return underlyingTrigger(source).describe();
  } catch {
    return describeOdd(source);
  }
}

/** "If A or B" / "While … (checked when A or B)". */
export function ruleSentence(kind: 'if' | 'while', phrases: string[]): string {
  const when = phrases.length > 0 ? phrases.join(' or ') : 'it is run by hand';
  return kind === 'if' ? `If ${when}` : `While its condition holds (checked when ${when})`;
}

function describeOdd(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object of class ${value.constructor?.name ?? 'Object'}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
