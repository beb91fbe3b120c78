/** A rule parameter the gateway UI can change (alarm time, fade length): a value source triggers re-read. */
import type { Cancel } from '../clock';
import type { ValueSource } from '../triggers/Trigger';
import type { JsonValue } from '../protocol/gateway';
import type { SettingInfo } from './messages';
import {
  allowedForm,
  fitsForm,
  inferKind,
  settingSchema,
  SettingKind,
  SettingOptions,
  SettingValue,
  titleOf,
} from './settingForm';
import { showValue } from './sameValue';

/**
 * A setting's current value, readable as `.value` and usable wherever a trigger takes a value
 * that may change: `new AbsoluteTimeTrigger(this.alarm)` re-arms when the alarm time is changed.
 *
 * @example
 * class MorningWake extends Rule {
 *   alarm = this.setting('alarmTime', '06:30');
 *   level = this.setting('targetLevel', 100, { minimum: 1, maximum: 100, unit: 'percent' });
 *   triggers() { return [new AbsoluteTimeTrigger(this.alarm)]; }
 *   action() { this.things.Bedside_Ikea_Light.level = this.level.value; }
 * }
 */
export class Setting<T extends SettingValue> implements ValueSource<T> {
  readonly kind: SettingKind;
  private current: T;
  // listeners of onChange, in subscription order
  private readonly listeners = new Set<(value: T) => void>();

  constructor(
    readonly name: string,
    readonly defaultValue: T,
    readonly options: SettingOptions = {}
  ) {
    this.kind = inferKind(defaultValue, options);
    this.current = defaultValue;
  }

  /** The current value; a rule may assign it too (it is checked, kept and shown in the gateway UI). */
  get value(): T {
    return this.current;
  }

  set value(value: T) {
    this.assign(value);
  }

  get(): T {
    return this.current;
  }

  /** Calls `listener` after each change of value; returns its cancel. */
  onChange(listener: (value: T) => void): Cancel {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** In words, what this setting accepts ("a time of day "HH:MM" (00:00 to 23:59)"). */
  get allowed(): string {
    return allowedForm(this.kind, this.options);
  }

  /** Why `value` is refused, or undefined when it is fine. */
  problem(value: unknown): string | undefined {
    return fitsForm(this.kind, this.options, value)
      ? undefined
      : `${showValue(value)} is not ${this.allowed}`;
  }

  /**
   * Sets a new value after checking it; throws (keeping the old value) when it does not fit.
   * Every listener hears of the change even if one throws; the first error is rethrown after.
   */
  assign(value: unknown): boolean {
    const problem = this.problem(value);
    if (problem) throw new Error(`Invalid setting "${this.name}": ${problem}`);
    if (value === this.current) return false;
    this.current = value as T;
    let failure: unknown;
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
    return true;
  }

  info(): SettingInfo {
    return {
      name: this.name,
      title: this.options.title ?? titleOf(this.name),
      ...settingSchema(this.kind, this.options),
      value: this.current as JsonValue,
      default: this.defaultValue as JsonValue,
      ...(this.options.description ? { description: this.options.description } : {}),
    };
  }

  toString(): string {
    return String(this.current);
  }

  valueOf(): T {
    return this.current;
  }

  toJSON(): T {
    return this.current;
  }
}
