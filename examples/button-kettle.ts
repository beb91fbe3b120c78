/** Pressing Button 1 toggles the Kettle: an event trigger, as a GUI rule's "pressed" trigger. */
import { Rule } from 'rule-things';

export default class ButtonKettleRule extends Rule {
  static description = 'toggle Kettle';

  triggers() {
    return [this.things.Button_1.event('pressed')];
  }

  action() {
    this.things.Kettle.on = !this.things.Kettle.on;
  }
}
