/**
 * Follow: one light follows another: on/off, brightness and colour, whoever changed the leader
 * (a person, a switch, another rule). Loop-safe: the follower's own echo does not run the rule
 * again, and a value the follower already has is not sent, so two Follow rules in opposite
 * directions settle at once. Choose both on this rule's thing in the gateway, then switch it on.
 */
import { Rule } from 'rule-things';

const FOLLOWED = ['on', 'level', 'brightness', 'color', 'colorTemperature'];

export default class Follow extends Rule {
  static title = 'Follow';
  static description = '{follower} follows {leader}: on/off, brightness and colour';
  static enabledByDefault = false;

  leader = this.thingSetting('leader', { title: 'Leader', property: 'on' });
  follower = this.thingSetting('follower', { title: 'Follower', property: 'on' });

  triggers() {
    return [this.leader.thing];
  }

  action(_leader: unknown, property: string, value: unknown) {
    if (this.follower.value === this.leader.value || !FOLLOWED.includes(property)) return;
    const follower = this.follower.thing;
    if (property in follower.values) follower[property] = value;
  }
}
