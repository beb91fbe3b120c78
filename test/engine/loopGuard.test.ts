/** The loop guard: own echoes ignored, runaway rates paused, cross-rule feedback loops cut. */
import BondedBulbsRule from '../../examples/bonded-bulbs';
import { Rule } from '../../src/engine/Rule';
import { HeartBeat } from '../../src/triggers';
import { harness } from './harness';

class KitchenEchoRule extends Rule {
  triggers() {
    return [this.things.Philips_HUE_06.property('on')];
  }
  action() {
    this.things.Philips_HUE_05.on = !this.things.Philips_HUE_05.on;
  }
}

class HallEchoRule extends Rule {
  triggers() {
    return [this.things.Philips_HUE_05.property('on')];
  }
  action() {
    this.things.Philips_HUE_06.on = !this.things.Philips_HUE_06.on;
  }
}

class Fast extends Rule {
  triggers() {
    return [new HeartBeat('100ms')];
  }
  action() {
    this.things.Kettle.on = !this.things.Kettle.on;
  }
}

describe('loop guard', () => {
  it('lets bonded bulbs settle when a person changes two bulbs in quick succession', async () => {
    const h = harness();
    h.system.addRule(BondedBulbsRule, { id: 'bonded', enabled: true });
    await h.system.start();
    h.home.writeProperty('philips-hue-01', 'color', '#ff0000');
    h.home.writeProperty('philips-hue-02', 'color', '#00ff00');
    await h.clock.advance('1m');
    const colors = ['01', '02', '03', '04'].map((n) =>
      h.home.getProperty(`philips-hue-${n}`, 'color')
    );
    expect(new Set(colors).size).toBe(1);
    expect(h.commands.length).toBeLessThanOrEqual(7);
    const settled = h.commands.length;
    await h.clock.advance('10m');
    expect(h.commands).toHaveLength(settled);
    expect(h.info('bonded').status).toBe('ok');
  });

  it('pauses a rule that fires faster than the configured rate and resumes it when re-enabled', async () => {
    const h = harness('2027-06-14T08:00', { maxFiresPerWindow: 5, windowMs: 1000 });
    h.system.addRule(Fast, { id: 'fast' });
    await h.system.start();
    await h.clock.advance('2s');
    expect(h.info('fast')).toMatchObject({
      enabled: false,
      status: 'paused by loop guard: fired 6 times in 1s',
    });
    expect(h.commands).toHaveLength(5);
    await h.system.setEnabled('fast', true);
    expect(h.info('fast').status).toBe('ok');
    await h.clock.advance('300ms');
    expect(h.commands).toHaveLength(8);
  });

  it('stops two rules that keep triggering each other within a bounded chain, naming both', async () => {
    const h = harness('2027-06-14T08:00', { maxChainDepth: 6 });
    h.system.addRule(KitchenEchoRule, { id: 'a' });
    h.system.addRule(HallEchoRule, { id: 'b' });
    await h.system.start();
    await h.userSets('philips-hue-06', 'on', true);
    await h.clock.advance('1m');
    expect(h.commands.length).toBeLessThanOrEqual(6);
    for (const id of ['a', 'b']) {
      expect(h.info(id).enabled).toBe(false);
      expect(h.info(id).status).toMatch(
        /^paused by loop guard: feedback loop "(Kitchen|Hall) Echo" → "(Hall|Kitchen) Echo" \(a chain of 7 rule firings\)$/
      );
    }
  });
});
