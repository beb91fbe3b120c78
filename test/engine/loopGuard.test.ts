/** The loop guard: own echoes ignored, runaway rates paused, cross-rule feedback loops cut. */
import BondedBulbsRule from '../../examples/bonded-bulbs';
import { Rule } from '../../src/engine/Rule';
import { parseDuration } from '../../src/clock';
import { HeartBeat } from '../../src/triggers';
import { Harness, harness } from './harness';

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

class FollowSlider extends Rule {
  triggers() {
    return [this.things.Bedside_Ikea_Light.property('level')];
  }
  action() {
    this.things.Philips_HUE_01.level = this.things.Bedside_Ikea_Light.level;
  }
}

class FollowKettle extends Rule {
  triggers() {
    return [this.things.Kettle.property('on')];
  }
  action() {
    this.things.Coffee_Maker.on = this.things.Kettle.on;
  }
}

/** Devices that confirm a command at once but report their new value `delay` later, as many radios do. */
function reportLate(h: Harness, delay: string): void {
  h.gateway.setProperty = (thingId, name, value) => {
    h.commands.push(`${thingId} ${name}=${JSON.stringify(value)}`);
    h.clock.after(parseDuration(delay), () => h.home.writeProperty(thingId, name, value));
    return Promise.resolve();
  };
}

describe('loop guard', () => {
  it('lets bonded bulbs settle when a person changes two bulbs in quick succession', async () => {
    const h = harness();
    h.system.addRule(BondedBulbsRule, { id: 'bonded', enabled: true });
    await h.system.start();
    h.home.writeProperty('sim-philips-hue-01', 'color', '#ff0000');
    h.home.writeProperty('sim-philips-hue-02', 'color', '#00ff00');
    await h.clock.advance('1m');
    const colors = ['01', '02', '03', '04'].map((n) =>
      h.home.getProperty(`sim-philips-hue-${n}`, 'color')
    );
    expect(new Set(colors).size).toBe(1);
    expect(h.commands.length).toBeLessThanOrEqual(7);
    const settled = h.commands.length;
    await h.clock.advance('10m');
    expect(h.commands).toHaveLength(settled);
    expect(h.info('bonded').status).toBe('ok');
  });

  it('never pauses a rule that a clock fires ten times a second', async () => {
    const h = harness();
    h.system.addRule(Fast, { id: 'fast' });
    await h.system.start();
    await h.clock.advance('1m');
    expect(h.info('fast')).toMatchObject({ enabled: true, status: 'ok' });
    expect(h.commands).toHaveLength(600);
  });

  it('pauses a rule past its own static maxRate, whatever triggers it, and resumes it when re-enabled', async () => {
    class Capped extends Fast {
      static maxRate = 5;
    }
    const h = harness();
    h.system.addRule(Capped, { id: 'capped' });
    await h.system.start();
    await h.clock.advance('2s');
    expect(h.info('capped')).toMatchObject({
      enabled: false,
      status: 'paused by loop guard: fired 6 times in 60s (its static maxRate)',
    });
    expect(h.commands).toHaveLength(5);
    await h.system.setEnabled('capped', true);
    expect(h.info('capped').status).toBe('ok');
    await h.clock.advance('300ms');
    expect(h.commands).toHaveLength(8);
  });

  it('refuses a static maxRate that is not a whole number of firings a minute', async () => {
    class Odd extends Fast {
      static maxRate = 0.5;
    }
    const h = harness();
    h.system.addRule(Odd, { id: 'odd' });
    await h.system.start();
    expect(h.info('odd').status).toMatch(/static maxRate must be a whole number .* not 0\.5/);
  });

  it('never pauses a rule following a slider a person moves ten times a second for a minute, and loses no value', async () => {
    const h = harness();
    h.system.addRule(FollowSlider, { id: 'follow' });
    await h.system.start();
    for (let i = 1; i <= 600; i++) {
      await h.userSets('sim-bedside-ikea-light', 'level', i % 100);
      expect(h.home.getProperty('sim-philips-hue-01', 'level')).toBe(i % 100);
      await h.clock.advance('100ms');
    }
    expect(h.info('follow')).toMatchObject({ enabled: true, status: 'ok' });
    expect(h.fired).toHaveLength(600);
  });

  it("pauses a rule that rules' writes fire faster than the engine's rate, naming why", async () => {
    const h = harness('2027-06-14T08:00', { maxFiresPerWindow: 5, windowMs: 1000 });
    h.system.addRule(Fast, { id: 'fast' });
    h.system.addRule(FollowKettle, { id: 'follow' });
    await h.system.start();
    await h.clock.advance('2s');
    expect(h.info('follow')).toMatchObject({
      enabled: false,
      status: "paused by loop guard: fired 6 times because of rules' writes in 1s",
    });
    expect(h.info('fast').enabled).toBe(true);
  });

  it('stops two rules that keep triggering each other within a bounded chain, naming both', async () => {
    const h = harness('2027-06-14T08:00', { maxChainDepth: 6 });
    h.system.addRule(KitchenEchoRule, { id: 'a' });
    h.system.addRule(HallEchoRule, { id: 'b' });
    await h.system.start();
    await h.userSets('sim-philips-hue-06', 'on', true);
    await h.clock.advance('1m');
    expect(h.commands.length).toBeLessThanOrEqual(6);
    for (const id of ['a', 'b']) {
      expect(h.info(id).enabled).toBe(false);
      expect(h.info(id).status).toMatch(
        /^paused by loop guard: feedback loop "(Kitchen|Hall) Echo" → "(Hall|Kitchen) Echo" \(a chain of 7 rule firings\)$/
      );
    }
  });

  it('stops two rules that keep triggering each other through devices that report seconds later', async () => {
    const h = harness();
    reportLate(h, '3s');
    h.system.addRule(KitchenEchoRule, { id: 'a' });
    h.system.addRule(HallEchoRule, { id: 'b' });
    await h.system.start();
    await h.userSets('sim-philips-hue-06', 'on', true);
    await h.clock.advance('5m');
    expect(h.commands.length).toBeLessThanOrEqual(11);
    for (const id of ['a', 'b']) {
      expect(h.info(id)).toMatchObject({ enabled: false });
      expect(h.info(id).status).toMatch(/^paused by loop guard: feedback loop /);
    }
  });

  it("stops a rule that its own write's late report keeps re-triggering, even with another value", async () => {
    class Brighter extends Rule {
      triggers() {
        return [this.things.Bedside_Ikea_Light.property('level')];
      }
      action() {
        this.things.Bedside_Ikea_Light.level = Math.min(
          100,
          this.things.Bedside_Ikea_Light.level + 2
        );
      }
    }
    const h = harness();
    // The device confirms at once and reports a level one below the one asked for, 3 s later.
    h.gateway.setProperty = (thingId, name, value) => {
      h.commands.push(`${thingId} ${name}=${JSON.stringify(value)}`);
      h.clock.after(3000, () => h.home.writeProperty(thingId, name, (value as number) - 1));
      return Promise.resolve();
    };
    h.system.addRule(Brighter, { id: 'brighter' });
    await h.system.start();
    await h.userSets('sim-bedside-ikea-light', 'level', 10);
    await h.clock.advance('5m');
    expect(h.info('brighter')).toMatchObject({ enabled: false });
    expect(h.info('brighter').status).toMatch(/^paused by loop guard: feedback loop "Brighter"/);
    expect(h.commands.length).toBeLessThanOrEqual(11);
  });

  it("lets a person's change back to the value a rule just asked for reach that rule", async () => {
    class LevelWatcher extends Rule {
      seen: number[] = [];
      triggers() {
        return [
          this.things.Button_1.event('pressed'),
          this.things.Bedside_Ikea_Light.property('level'),
        ];
      }
      action(_trigger: unknown, property: string, value: unknown) {
        if (property === 'pressed') this.things.Bedside_Ikea_Light.level = 50;
        else this.seen.push(value as number);
      }
    }
    const h = harness();
    // The device takes the command but keeps its level (it was out of reach): no report comes.
    h.gateway.setProperty = (thingId, name, value) => {
      h.commands.push(`${thingId} ${name}=${JSON.stringify(value)}`);
      return Promise.resolve();
    };
    h.system.addRule(LevelWatcher, { id: 'watcher' });
    await h.system.start();
    h.home.emitEvent('sim-button-1', 'pressed');
    await h.settle();
    expect(h.commands).toEqual(['sim-bedside-ikea-light level=50']);
    await h.userSets('sim-bedside-ikea-light', 'level', 30);
    await h.userSets('sim-bedside-ikea-light', 'level', 50);
    expect((h.system.instance('watcher') as LevelWatcher).seen).toEqual([30, 50]);
  });
});
