/**
 * Dusk to time: a light goes on at dusk (or another evening event of the sun, with an offset if
 * you like) and off at a time of day. Dusk moves with the seasons, which the gateway's own rules
 * cannot follow. Choose the light on this rule's thing in the gateway, then switch it on.
 */
import { AbsoluteTimeTrigger, isSolarEventName, Rule, SolarEventTrigger } from 'rule-things';

export default class DuskToTime extends Rule {
  static title = 'Dusk to time';
  static description = 'turn {light} on, and off at {offTime}';
  static enabledByDefault = false;

  light = this.thingSetting('light', { title: 'Light', property: 'on' });
  // The sun's event and offset shape the trigger: changing one starts the rule afresh.
  event = this.setting('event', 'civilDusk', {
    title: 'On at',
    enum: ['sunset', 'civilDusk', 'nauticalDusk', 'goldenHourEveningStart', 'blueHourEveningStart'],
    restart: true,
  });
  offset = this.setting('offset', '0m', {
    title: 'Offset',
    description: 'before (-15m) or after (15m) the event',
    restart: true,
  });
  offTime = this.setting('offTime', '23:00', { title: 'Off at' });

  private on: SolarEventTrigger | undefined;

  triggers() {
    const event = isSolarEventName(this.event.value) ? this.event.value : 'civilDusk';
    this.on = new SolarEventTrigger(event, { offset: this.offset.value });
    return [this.on, new AbsoluteTimeTrigger(this.offTime)];
  }

  action(trigger: unknown) {
    this.light.thing.on = trigger === this.on;
  }
}
