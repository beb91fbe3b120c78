/**
 * The seed's "If" rule: when Philips HUE 01 changes and is on, turn on 02, 03 and 04.
 * Nothing is undone when 01 goes off — that is what makes it an "If" rule.
 */
import { Rule } from 'rule-things';

export default class ExampleIfRule extends Rule {
  static description = 'turn on Philips HUE 02, 03 and 04 if Philips HUE 01 is on';

  triggers() {
    return [this.things.Philips_HUE_01];
  }

  action() {
    if (this.things.Philips_HUE_01.on) {
      this.things.Philips_HUE_02.on = true;
      this.things.Philips_HUE_03.on = true;
      this.things.Philips_HUE_04.on = true;
    }
  }
}
