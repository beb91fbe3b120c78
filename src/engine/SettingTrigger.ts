/** Lets a setting be a trigger: the rule runs when the gateway UI (or the rule) changes its value. */
import { Trigger } from '../triggers/Trigger';
import type { Setting } from './Setting';
import type { SettingValue } from './settingForm';

export class SettingTrigger extends Trigger {
  private cancel: (() => void) | undefined;

  constructor(readonly setting: Setting<SettingValue>) {
    super(`setting ${setting.name}`);
  }

  describe(): string {
    // The title, as the RuleThing shows the setting in the gateway.
    return `the setting "${this.setting.info().title}" changes`;
  }

  protected onStart(): void {
    this.cancel = this.setting.onChange((value) => this.fire(this.setting.name, value));
  }

  protected onStop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}

// setting -> its trigger, so two rules (or two starts) share one
const triggers = new WeakMap<Setting<SettingValue>, SettingTrigger>();

export function settingTrigger(setting: Setting<SettingValue>): SettingTrigger {
  let trigger = triggers.get(setting);
  if (!trigger) triggers.set(setting, (trigger = new SettingTrigger(setting)));
  return trigger;
}
