/**
 * Motion night light: while the sun is down, motion turns a light on; it goes off a while after
 * the last motion. A light that was already on is left alone. Choose the motion sensor and the
 * light on this rule's thing in the gateway, then switch it on.
 */
import { Rule } from 'rule-things';

export default class MotionNightLight extends Rule {
  static title = 'Motion night light';
  static description =
    'while the sun is down, turn {light} on at motion and off {offAfter} after the last';
  static enabledByDefault = false;
  // Each motion report cancels the wait for "off" that the previous one started.
  static mode = 'restart' as const;

  sensor = this.thingSetting('sensor', { title: 'Motion sensor', property: 'MotionProperty' });
  light = this.thingSetting('light', { title: 'Light', property: 'on' });
  offAfter = this.setting('offAfter', '5m', { title: 'Off after' });

  // Whether this rule turned the light on (and so may turn it off).
  private lit = false;

  triggers() {
    return [this.sensor.thing.property(this.sensor.propertyName ?? 'motion')];
  }

  async action(_sensor: unknown, _property: string, motion: unknown) {
    const light = this.light.thing;
    if (motion === true) {
      if (!this.lit && !light.on && !this.sun.isUp()) {
        light.on = true;
        this.lit = true;
      }
      return;
    }
    if (!this.lit) return;
    await this.sleep(this.offAfter.value);
    light.on = false;
    this.lit = false;
  }
}
