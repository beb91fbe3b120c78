/**
 * The rule the seed says the gateway's GUI cannot express: the porch light goes on at dusk and
 * off at 23:00 — dusk moves with the seasons, so it comes from the sun, not from a clock time.
 */
import { AbsoluteTimeTrigger, Rule, SolarEventTrigger } from 'rule-things';

export default class PorchLightRule extends Rule {
  static description = 'turn Porch Light on at dusk and off at {offTime}';

  offAt = this.setting('offTime', '23:00', { title: 'Off at' });

  dusk = new SolarEventTrigger('civilDusk');
  late = new AbsoluteTimeTrigger(this.offAt);

  triggers() {
    return [this.dusk, this.late];
  }

  action(trigger: unknown) {
    this.things.Porch_Light.on = trigger === this.dusk;
  }
}
