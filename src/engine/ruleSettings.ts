/** A rule's settings as the runtime applies them: checked, assigned, and which thing is still to choose. */
import type { JsonValue } from '../protocol/gateway';
import type { LogLevel } from './EngineCore';
import { messageOf } from './errorMessage';
import { Rule, settingsOf } from './Rule';
import { ThingSetting } from './ThingSetting';

/** Where a setting's problems go: the rule's title for messages, its log and its status. */
export interface SettingReport {
  title: string;
  log(level: LogLevel, message: string): void;
  setStatus(status: string, level: LogLevel): void;
}

/**
 * Validates and applies a setting of `rule`. `strict` (a person's write) throws with the rule, the
 * setting and the allowed form; otherwise (a saved value) a bad one is logged and ignored.
 */
export function applySetting(
  rule: Rule,
  name: string,
  value: JsonValue,
  strict: boolean,
  report: SettingReport
): void {
  const setting = settingsOf(rule).get(name);
  if (!setting) {
    const known = [...settingsOf(rule).keys()].join(', ') || 'none';
    const message = `Rule "${report.title}" has no setting "${name}" (it has ${known})`;
    if (strict) throw new Error(message);
    report.log('warn', `${message}; saved value ignored`);
    return;
  }
  // A person picks among the things offered now; a saved choice may name one that is away.
  const problem =
    strict && setting instanceof ThingSetting
      ? setting.choiceProblem(value)
      : setting.problem(value);
  if (problem) {
    const message = `Invalid setting: rule "${report.title}" setting "${name}" = ${problem}; the value stays ${JSON.stringify(setting.value)}`;
    if (strict) throw new Error(message);
    report.log('warn', message);
    return;
  }
  try {
    setting.assign(value);
  } catch (error) {
    // The value is kept; a trigger that could not follow it says so in the status.
    report.setStatus(`a trigger could not follow setting "${name}": ${messageOf(error)}`, 'error');
  }
}

/** "choose a Light" while one of the rule's thing settings has no thing (or its thing is gone). */
export function unchosenThing(rule: Rule): string | undefined {
  for (const setting of settingsOf(rule).values()) {
    const missing = setting instanceof ThingSetting ? setting.missing() : undefined;
    if (missing) return missing;
  }
  return undefined;
}

/**
 * Tells the runtime of every change of the rule's settings (`changed`), and first to run
 * triggers() again (`restart`) when another thing is chosen or a setting shapes the triggers.
 */
export function followSettings(rule: Rule, on: { restart(): void; changed(): void }): void {
  for (const setting of settingsOf(rule).values()) {
    if (setting instanceof ThingSetting || setting.options.restart) setting.onChange(on.restart);
    setting.onChange(on.changed);
  }
}
