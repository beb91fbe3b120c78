/**
 * The seed's BondedBulbsRule: a change to the on/off state or color of any of four bulbs is
 * echoed by the others. Writes that repeat a bulb's value send nothing, and a rule is not
 * re-triggered by the echo of its own writes, so the group settles instead of oscillating.
 */
import { Rule, ThingProxy } from 'rule-things';

export default class BondedBulbsRule extends Rule {
  // Off at first: in the demo it would fight the rainbow over the colors of bulbs 01-04.
  static enabledByDefault = false;
  static description = 'copy the change to the other three bulbs';

  // ThingProxy, not the bulbs' generated types: action() sets whichever property changed, by name.
  bulbs: ThingProxy[] = [
    this.things.Philips_HUE_01,
    this.things.Philips_HUE_02,
    this.things.Philips_HUE_03,
    this.things.Philips_HUE_04,
  ];

  triggers() {
    return this.bulbs;
  }

  action(_trigger: unknown, property: string, value: unknown) {
    for (const bulb of this.bulbs) {
      bulb[property] = value;
    }
  }
}
