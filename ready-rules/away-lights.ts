/**
 * Away lights: from sunset until a time of day, a light goes on and off at random, as if someone
 * were home. Choose the light on this rule's thing in the gateway, and switch the rule on when
 * you leave (a GUI rule can switch it too: its "Enabled" is an ordinary on/off property).
 */
import { AbsoluteTimeTrigger, parseDuration, Rule, SolarEventTrigger } from 'rule-things';

export default class AwayLights extends Rule {
  static title = 'Away lights';
  static description = 'switch {light} on and off at random from sunset until {until}';
  static enabledByDefault = false;
  // The evening's run lasts hours; the end time cuts it short (mode "restart").
  static mode = 'restart' as const;
  static timeout = '24h';

  light = this.thingSetting('light', { title: 'Light', property: 'on' });
  until = this.setting('until', '23:30', { title: 'Until' });
  shortest = this.setting('shortest', '10m', { title: 'Shortest on or off' });
  longest = this.setting('longest', '45m', { title: 'Longest on or off' });

  private evening = new SolarEventTrigger('sunset');
  private end = new AbsoluteTimeTrigger(this.until);

  triggers() {
    return [this.evening, this.end];
  }

  async action(trigger: unknown) {
    const light = this.light.thing;
    if (trigger === this.end) {
      light.on = false;
      return;
    }
    const endAt = this.end.next(this.now);
    while (endAt && this.now < endAt) {
      light.on = !light.on;
      const shortest = parseDuration(this.shortest.value);
      const longest = Math.max(shortest, parseDuration(this.longest.value));
      const wait = shortest + Math.random() * (longest - shortest);
      await this.sleep(`${Math.min(wait, endAt.toMillis() - this.now.toMillis())}ms`);
    }
    light.on = false;
  }
}
