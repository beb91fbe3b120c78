/**
 * The seed's "While" rule written by hand: 02, 03 and 04 follow the on/off state of 01, so
 * turning 01 off turns them off again.
 */
import { Rule } from 'rule-things';

export default class ExampleWhileRule extends Rule {
  static description = 'switch Philips HUE 02, 03 and 04 on or off like Philips HUE 01';

  triggers() {
    return [this.things.Philips_HUE_01];
  }

  action(_trigger: unknown, property: string, value: unknown) {
    // Narrowed, so the typed things accept it: Philips_HUE_02.on is a boolean.
    if (property === 'on' && typeof value === 'boolean') {
      this.things.Philips_HUE_02.on = value;
      this.things.Philips_HUE_03.on = value;
      this.things.Philips_HUE_04.on = value;
    }
  }
}
