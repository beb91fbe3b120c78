/** Things, properties, events and settings as triggers, and one trigger object serving two rules. */
import { Rule } from '../../src/engine/Rule';
import { HeartBeat } from '../../src/triggers';
import { harness } from './harness';

type Call = [string, unknown];

class WholeThing extends Rule {
  calls: Call[] = [];
  triggers() {
    return [this.things.Philips_HUE_01];
  }
  action(trigger: unknown, property: string, value: unknown) {
    expect(trigger).toBe(this.things.Philips_HUE_01);
    this.calls.push([property, value]);
  }
}

class OnlyOn extends Rule {
  calls: Call[] = [];
  triggers() {
    return [this.things.Philips_HUE_01.property('on')];
  }
  action(_trigger: unknown, property: string, value: unknown) {
    this.calls.push([property, value]);
  }
}

class Pressed extends Rule {
  presses = 0;
  triggers() {
    return [this.things.Button_1.event('pressed')];
  }
  action() {
    this.presses++;
  }
}

const shared = new HeartBeat('10s');

class BeatA extends Rule {
  beats = 0;
  triggers() {
    return [shared];
  }
  action() {
    this.beats++;
  }
}
class BeatB extends BeatA {}

describe('triggers', () => {
  it('run a rule on every property change of a thing it returns', async () => {
    const h = harness();
    h.system.addRule(WholeThing, { id: 'whole' });
    await h.system.start();
    await h.userSets('sim-philips-hue-01', 'on', true);
    await h.userSets('sim-philips-hue-01', 'color', '#ff0000');
    await h.userSets('sim-philips-hue-02', 'on', true);
    expect((h.system.instance('whole') as WholeThing).calls).toEqual([
      ['on', true],
      ['color', '#ff0000'],
    ]);
  });

  it('run a rule only for the property it watches', async () => {
    const h = harness();
    h.system.addRule(OnlyOn, { id: 'on' });
    await h.system.start();
    await h.userSets('sim-philips-hue-01', 'level', 10);
    await h.userSets('sim-philips-hue-01', 'on', true);
    expect((h.system.instance('on') as OnlyOn).calls).toEqual([['on', true]]);
  });

  it('run a rule on each event of a thing', async () => {
    const h = harness();
    h.system.addRule(Pressed, { id: 'pressed' });
    await h.system.start();
    h.home.press('Button 1');
    h.home.press('Button 2');
    h.home.press('Button 1');
    await h.settle();
    expect((h.system.instance('pressed') as Pressed).presses).toBe(2);
  });

  it('let one trigger object serve two rules and stop it with the last of them', async () => {
    const h = harness();
    h.system.addRule(BeatA, { id: 'a' });
    h.system.addRule(BeatB, { id: 'b' });
    await h.system.start();
    await h.clock.advance('30s');
    expect((h.system.instance('a') as BeatA).beats).toBe(3);
    expect((h.system.instance('b') as BeatA).beats).toBe(3);
    await h.system.setEnabled('a', false);
    await h.clock.advance('10s');
    expect((h.system.instance('a') as BeatA).beats).toBe(3);
    expect((h.system.instance('b') as BeatA).beats).toBe(4);
    await h.system.setEnabled('b', false);
    expect(shared.running).toBe(false);
    expect(h.clock.pending()).toBe(0);
  });

  it('report the next firing of time triggers in the rule info', async () => {
    const h = harness('2027-06-14T08:00');
    h.system.addRule(BeatA, { id: 'a' });
    await h.system.start();
    expect(h.info('a').nextFire).toBe('2027-06-14T06:00:10.000Z');
    expect(h.info('a').description).toBe("Every 10 seconds, run the rule's action");
  });

  it("lists the things triggers() returned as triggeringThings (pywot's triggering_things), not property or time triggers", async () => {
    class Mixed extends Rule {
      titles: string[][] = [];
      triggers() {
        return [
          this.things.Philips_HUE_01,
          this.things.Kettle.property('on'),
          new HeartBeat('1m'),
          this.things.Philips_HUE_02,
        ];
      }
      action() {
        this.titles.push(this.triggeringThings.map((thing) => thing.title));
        for (const thing of this.triggeringThings) thing.on = true;
      }
    }
    const h = harness();
    h.system.addRule(Mixed, { id: 'mixed' });
    await h.system.start();
    const rule = h.system.instance('mixed') as Mixed;
    expect(rule.triggeringThings).toEqual([rule.things.Philips_HUE_01, rule.things.Philips_HUE_02]);
    await h.clock.advance('1m');
    expect(rule.titles).toEqual([['Philips HUE 01', 'Philips HUE 02']]);
    expect(h.commands).toEqual(['sim-philips-hue-01 on=true', 'sim-philips-hue-02 on=true']);
    await h.system.setEnabled('mixed', false);
    expect(rule.triggeringThings).toEqual([rule.things.Philips_HUE_01, rule.things.Philips_HUE_02]);
  });
});
