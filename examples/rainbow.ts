/**
 * The seed's RainbowRule: six bulbs show the colors of the rainbow, and every two seconds the
 * colors move one bulb along.
 */
import { HeartBeat, Rule } from 'rule-things';

const RAINBOW = ['#ff0000', '#ff7f00', '#ffff00', '#00ff00', '#0000ff', '#8b00ff'];

export default class RainbowRule extends Rule {
  static description = 'move the rainbow on Philips HUE 01 to 06 one bulb along';

  period = this.setting('period', '2s', { title: 'Rotation period' });
  colors = [...RAINBOW];

  bulbs = [
    this.things.Philips_HUE_01,
    this.things.Philips_HUE_02,
    this.things.Philips_HUE_03,
    this.things.Philips_HUE_04,
    this.things.Philips_HUE_05,
    this.things.Philips_HUE_06,
  ];

  initialState() {
    this.bulbs.forEach((bulb, i) => {
      bulb.on = true;
      bulb.color = this.colors[i];
    });
  }

  triggers() {
    return [new HeartBeat(this.period)];
  }

  action() {
    this.colors.unshift(this.colors.pop()!);
    this.bulbs.forEach((bulb, i) => {
      bulb.color = this.colors[i];
    });
  }
}
