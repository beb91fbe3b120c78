/**
 * Deep checks of what the add-on reads back from its data folder (state.json, history.json): a
 * file someone edited, or a disk that corrupted it, gives each bad part a message naming it and
 * its value, and the good parts are kept.
 */
import { DateTime } from 'luxon';
import type { JsonValue } from '../protocol/gateway';
import type { SavedRuleState } from '../engine/messages';

/** What survived a check, and a message for each part that did not. */
export interface Checked<T> {
  value: T;
  problems: string[];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && DateTime.fromISO(value, { setZone: true }).isValid;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** One rule's saved state: every field of the right shape is kept, each other one dropped with a message. */
export function checkSavedRule(id: string, raw: unknown): Checked<SavedRuleState | undefined> {
  const where = `rule "${id}"`;
  if (!isPlainObject(raw)) return { value: undefined, problems: [`${where} is not an object`] };
  const problems: string[] = [];
  const rule: SavedRuleState = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'enabled':
        if (typeof value === 'boolean') rule.enabled = value;
        else problems.push(`${where}: enabled ${shown(value)} is not true or false`);
        break;
      case 'settings':
        if (!isPlainObject(value)) {
          problems.push(`${where}: settings ${shown(value)} is not an object of setting values`);
          break;
        }
        rule.settings = {};
        for (const [name, setting] of Object.entries(value)) {
          if (isSettingValue(setting)) rule.settings[name] = setting;
          else
            problems.push(
              `${where}: setting ${name} ${shown(setting)} is not a text, number or true/false`
            );
        }
        break;
      case 'lastFired':
        if (isIsoTime(value)) rule.lastFired = value;
        else problems.push(`${where}: lastFired ${shown(value)} is not an ISO time`);
        break;
      case 'occurrences':
        if (!isPlainObject(value)) {
          problems.push(`${where}: occurrences ${shown(value)} is not an object of ISO times`);
          break;
        }
        rule.occurrences = {};
        for (const [trigger, at] of Object.entries(value)) {
          if (isIsoTime(at)) rule.occurrences[trigger] = at;
          else
            problems.push(`${where}: occurrence of "${trigger}" ${shown(at)} is not an ISO time`);
        }
        break;
      case 'restore':
        if (Array.isArray(value) && value.every(isRecordedWrite)) rule.restore = value;
        else
          problems.push(
            `${where}: restore ${shown(value)} is not a list of {thingId, name, value}`
          );
        break;
      default:
        problems.push(`${where}: unknown field ${key}`);
    }
  }
  return { value: rule, problems };
}

function isSettingValue(value: unknown): value is JsonValue {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function isRecordedWrite(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    typeof value.thingId === 'string' &&
    typeof value.name === 'string' &&
    'value' in value
  );
}
