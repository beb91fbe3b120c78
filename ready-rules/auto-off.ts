/**
 * Auto-off: a thing (a light, a fan, a kettle) goes off a while after it was turned on, however
 * it was turned on. Turning it off before then cancels the wait. Choose the thing on this rule's
 * thing in the gateway, then switch it on.
 */
import { Rule } from 'rule-things';

export default class AutoOff extends Rule {
  static title = 'Auto-off';
  static description = 'turn {device} off {offAfter} after it was turned on';
  static enabledByDefault = false;
  // Turned on again, or off, while waiting: the wait starts over, or ends.
  static mode = 'restart' as const;

  device = this.thingSetting('device', { title: 'Device', property: 'on' });
  offAfter = this.setting('offAfter', '10m', { title: 'Off after' });

  triggers() {
    return [this.device.thing.property('on')];
  }

  async action(_device: unknown, _property: string, on: unknown) {
    if (on !== true) return;
    await this.sleep(this.offAfter.value);
    this.device.thing.on = false;
  }
}
