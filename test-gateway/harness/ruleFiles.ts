/** Rule files the scenarios drop into the add-on's rules folder, over the virtual things. */

/** Virtual Smart Plug follows Virtual On/Off Switch. */
export const FOLLOW_SWITCH = `import { Rule } from 'rule-things';

export default class FollowSwitchRule extends Rule {
  triggers() {
    return [this.things.Virtual_On_Off_Switch.property('on')];
  }

  action() {
    this.things.Virtual_Smart_Plug.on = this.things.Virtual_On_Off_Switch.on;
  }
}
`;

/** Virtual On/Off Light on at an alarm the gateway can move. */
export const WAKE_LIGHT = `import { Rule, AbsoluteTimeTrigger } from 'rule-things';

export default class WakeLightRule extends Rule {
  alarm = this.setting('alarmTime', '06:30');

  triggers() {
    return [new AbsoluteTimeTrigger(this.alarm)];
  }

  action() {
    this.things.Virtual_On_Off_Light.on = true;
  }
}
`;
