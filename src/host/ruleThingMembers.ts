/**
 * The members of a RuleThing, in one place for both ways a rule is shown as a thing: a device of
 * the add-on's adapter (src/addon/RuleThing.ts) and a thing served by the standalone runner with
 * `webthing` (src/standalone/RuleThingServer.ts).
 */
import type { JsonValue, PropertyDescription } from '../protocol/gateway';
import type { RuleInfo, SettingInfo } from '../engine/messages';
import { pickedId, pickerEntries, pickerValue } from './thingPicker';
import type { ValueRules } from './validate';

/**
 * A RuleThing property's description (without links and forms: whoever serves the thing adds
 * them), with what its writes are checked against.
 */
export interface RulePropertyDescription extends Omit<PropertyDescription, 'links' | 'forms'> {
  type: ValueRules['type'];
  pattern?: string;
  /** The allowed form in words, for messages; not sent to the gateway. */
  form?: string;
}

/** What writing a member does: switch the rule, change one of its settings, or nothing (read-only). */
export type MemberRole = 'enabled' | 'setting' | 'readOnly';

export interface RuleThingMember {
  name: string;
  description: RulePropertyDescription;
  value: JsonValue;
  role: MemberRole;
}

/** Member names of every RuleThing; a rule setting may not take one of them. */
export const FIXED_MEMBERS = ['enabled', 'active', 'lastFired', 'nextFire', 'status'];

export const FIRED_EVENT = {
  title: 'Fired',
  description: 'The rule ran its action; the data says what triggered it',
  data: { type: 'string' },
} as const;

export const RUN_ACTION = { title: 'Run', description: 'Run the rule’s action now' } as const;

/** The properties of a rule's thing in order, and a note for a setting that could not be shown. */
export function ruleThingMembers(rule: RuleInfo): { members: RuleThingMember[]; note?: string } {
  let note: string | undefined;
  const members: RuleThingMember[] = [
    {
      name: 'enabled',
      role: 'enabled',
      value: rule.enabled,
      description: {
        '@type': 'OnOffProperty',
        title: 'Enabled',
        type: 'boolean',
        description: 'The rule runs only while this is on',
      },
    },
  ];
  for (const setting of rule.settings) {
    if (FIXED_MEMBERS.includes(setting.name)) {
      note = `setting "${setting.name}" is not shown: the name is taken by a RuleThing member (${FIXED_MEMBERS.join(', ')}); rename it in ${rule.file}`;
      continue;
    }
    members.push({
      name: setting.name,
      role: 'setting',
      value: shownSettingValue(setting),
      description: settingDescription(setting),
    });
  }
  const readOnly = (
    name: string,
    title: string,
    type: 'boolean' | 'string',
    value: JsonValue
  ): RuleThingMember => ({
    name,
    role: 'readOnly',
    value,
    description: { title, type, readOnly: true },
  });
  members.push(
    readOnly('active', 'Active', 'boolean', rule.active),
    readOnly('lastFired', 'Last fired', 'string', rule.lastFired ?? ''),
    // When a time or sun trigger fires next ("" when none is due or the rule does not run).
    readOnly('nextFire', 'Next firing', 'string', rule.nextFire ?? ''),
    readOnly('status', 'Status', 'string', rule.status)
  );
  return { members, note };
}

/** A setting's value as its property shows it: a thing setting shows the chosen thing's title. */
export function shownSettingValue(setting: SettingInfo): JsonValue {
  return setting.thing ? pickerValue(setting.thing) : setting.value;
}

/** What the engine is told for a value written to a setting's property: a picked title becomes the thing's id. */
export function engineSettingValue(setting: SettingInfo, written: JsonValue): JsonValue {
  if (!setting.thing || typeof written !== 'string') return written;
  return pickedId(setting.thing, written) ?? written;
}

/**
 * What of a rule the gateway keeps from its announcement (the description, not values): when it
 * changes, the thing must be announced again. A thing setting's part is its drop-down entries.
 */
export function shapeOf(rule: RuleInfo): string {
  const settings = rule.settings.map(({ value: _value, thing, ...rest }) => ({
    ...rest,
    ...(thing ? { entries: [...pickerEntries(thing).keys()] } : {}),
  }));
  return JSON.stringify([rule.title, settings]);
}

/** A rule setting as a writable property description, with its constraints. */
function settingDescription(setting: SettingInfo): RulePropertyDescription {
  return {
    title: setting.title,
    type: setting.type,
    description: setting.description,
    unit: setting.unit,
    minimum: setting.minimum,
    maximum: setting.maximum,
    enum: (setting.thing
      ? [...pickerEntries(setting.thing).keys()]
      : setting.enum) as RulePropertyDescription['enum'],
    pattern: setting.pattern,
  };
}
