/**
 * The seed's "While" rule written by hand: 02, 03 and 04 follow the on/off state of 01, so
 * turning 01 off turns them off again.
 */
import { Rule } from 'rule-things';

export default class ExampleWhileRule extends Rule {
  triggers() {
    return [this.things.Philips_HUE_01];
  }

  action(_trigger: unknown, property: string, value: unknown) {
    if (property === 'on') {
      this.things.Philips_HUE_02.on = value;
      this.things.Philips_HUE_03.on = value;
      this.things.Philips_HUE_04.on = value;
    }
  }
}
