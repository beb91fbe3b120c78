/** Words for what a rule returned from `triggers()`, and the rule as one sentence in the voice of the gateway's GUI rules. */
import { describeDuration, parseDuration } from '../clock';
import { TimeTrigger } from '../triggers/TimeTrigger';
import { Trigger } from '../triggers/Trigger';
import type { AnySetting, TriggerSource } from './Rule';
import { Setting } from './Setting';
import { settingTrigger } from './SettingTrigger';
import { handleOf, isThingProxy } from './ThingProxy';
import { ThingChangeTrigger } from './ThingTriggers';
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

/** What the sentence says a rule does when it does not say so itself (`static description`). */
const UNSAID_ACTION = "run the rule's action";

/**
 * The rule in one sentence: its triggers as the gateway GUI words them ("If Philips HUE 01
 * changes", "At 06:10 on weekdays", "Every 2 seconds"), then what it does. `action` is the
 * rule's `static description`: for an If rule the part after the comma, for a While rule its
 * condition and effect ("Motion Sensor motion is on and the sun is down, Porch Light is on").
 *
 * @example ruleSentence('if', [new AbsoluteTimeTrigger('06:30')], 'turn on Bedside Ikea Light')
 * // 'At 06:30 every day, turn on Bedside Ikea Light'
 */
export function ruleSentence(
  kind: 'if' | 'while',
  sources: readonly TriggerSource[],
  action?: string
): string {
  const when = whenPhrase(sources);
  if (kind === 'while') {
    if (action) return `While ${action}`;
    return `While its condition holds (checked ${checkedWhen(when)})`;
  }
  return `${capitalize(when || 'when run by hand')}, ${action || UNSAID_ACTION}`;
}

/**
 * A `static description` with `{settingName}` replaced by the setting's current value in words
 * ("over {fadeDuration}" → "over 20 minutes"), so the sentence follows the RuleThing's settings.
 */
export function fillSettings(text: string, settings: ReadonlyMap<string, AnySetting>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const setting = settings.get(name);
    return setting ? settingInWords(setting) : whole;
  });
}

function settingInWords(setting: AnySetting): string {
  const value = setting.value;
  if (setting.kind === 'duration') {
    try {
      return describeDuration(parseDuration(value as string));
    } catch {
      return String(value);
    }
  }
  // A thing setting's words are the chosen thing's title, not its id.
  return setting.toString();
}

/**
 * "If A changes or B event "pressed" occurs, or at 06:30 every day": thing and setting triggers
 * take "If", time triggers say when by themselves, as the gateway's "If the time of day is …".
 * Things that trigger on any change are named together ("If A, B, or C changes").
 */
function whenPhrase(sources: readonly TriggerSource[]): string {
  const changed: string[] = [];
  const events: string[] = [];
  const times: string[] = [];
  for (const source of sources) {
    let trigger: Trigger | undefined;
    try {
      trigger = underlyingTrigger(source);
    } catch {
      trigger = undefined;
    }
    if (trigger instanceof ThingChangeTrigger) changed.push(trigger.thingTitle);
    else if (trigger instanceof TimeTrigger) times.push(trigger.describe());
    else events.push(describeSource(source));
  }
  if (changed.length > 0) events.unshift(`${orList(changed)} changes`);
  const parts: string[] = [];
  if (events.length > 0) parts.push(`If ${orList(events)}`);
  if (times.length > 0) parts.push(orList(times));
  return capitalize(parts.join(', or '));
}

/** "a", "a or b", "a, b, or c" (the gateway GUI's commas). */
function orList(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' or ');
  return `${items.slice(0, -1).join(', ')}, or ${items.at(-1)}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "when X changes", "every 2 seconds": the when-phrase inside a sentence. */
function checkedWhen(when: string): string {
  if (!when) return 'at start';
  if (when.startsWith('If ')) return `when ${when.slice(3)}`;
  return when.charAt(0).toLowerCase() + when.slice(1);
}

function describeOdd(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object of class ${value.constructor?.name ?? 'Object'}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The soonest next firing of the time triggers among `sources`, as ISO, or null if none is due. */
export function nextFireOf(sources: TriggerSource[]): string | null {
  let next: number | null = null;
  for (const source of sources) {
    const trigger = underlyingTrigger(source) as Trigger & {
      nextFire?: () => { toMillis(): number } | null;
    };
    const at = typeof trigger.nextFire === 'function' ? trigger.nextFire()?.toMillis() : undefined;
    if (at !== undefined && (next === null || at < next)) next = at;
  }
  return next === null ? null : new Date(next).toISOString();
}
