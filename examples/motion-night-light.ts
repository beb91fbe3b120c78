/**
 * A "While" rule in the gateway GUI's sense: while the motion sensor sees someone and the sun is
 * down, the Porch Light is on; when either stops being true, the light goes back to what it was.
 */
import { WhileRule } from 'rule-things';

export default class MotionNightLightRule extends WhileRule {
  static description = 'Motion Sensor motion is on and the sun is down, Porch Light is on';

  triggers() {
    return [this.things.Motion_Sensor.property('motion')];
  }

  condition() {
    return this.things.Motion_Sensor.motion === true && !this.sun.isUp();
  }

  whileTrue() {
    this.things.Porch_Light.on = true;
  }
}
