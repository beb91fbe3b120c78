/** Starting, stopping, switching off, removing and running rules by hand. */
import { MorningFadeWakeRule } from '../../examples/morning-wake';
import { Rule } from '../../src/engine/Rule';
import { harness } from './harness';

class Counter extends Rule {
  static title = 'Press counter';
  presses = 0;
  triggers() {
    return [this.things.Button_1.event('pressed')];
  }
  action() {
    this.presses++;
    this.things.Kettle.on = true;
  }
}

describe('rule lifecycle', () => {
  it('stops the triggers and aborts a running fade when a rule is switched off', async () => {
    const h = harness('2027-06-14T06:00');
    h.system.addRule(MorningFadeWakeRule, { id: 'fade' });
    await h.system.start();
    await h.clock.advance('20m');
    const level = h.home.getProperty('sim-bedside-ikea-light', 'level') as number;
    expect(level).toBeGreaterThan(40);
    await h.system.setEnabled('fade', false);
    expect(h.info('fade')).toMatchObject({
      enabled: false,
      active: false,
      status: 'ok',
      nextFire: null,
    });
    await h.clock.advance('1h');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'level')).toBe(level);
    expect(h.clock.pending()).toBe(0);
  });

  it('re-checks that a rule is still on before a queued run starts', async () => {
    class Queued extends Rule {
      static mode = 'queued' as const;
      runs = 0;
      triggers() {
        return [this.things.Button_1.event('pressed')];
      }
      async action() {
        this.runs++;
        await this.sleep('1m');
      }
    }
    const h = harness();
    h.system.addRule(Queued, { id: 'q' });
    await h.system.start();
    h.home.press('Button 1');
    h.home.press('Button 1');
    await h.settle();
    await h.system.setEnabled('q', false);
    await h.clock.advance('5m');
    expect((h.system.instance('q') as Queued).runs).toBe(1);
  });

  it('runs a rule by hand and records the firing with what it changed', async () => {
    const h = harness();
    h.system.addRule(Counter, { id: 'count' });
    await h.system.start();
    h.system.runRule('count');
    await h.settle();
    expect(h.fired).toEqual([
      {
        ruleId: 'count',
        at: '2027-06-14T06:00:00.000Z',
        trigger: 'run by hand',
        property: 'run',
        value: true,
        changes: ['Kettle on false → true'],
      },
    ]);
    expect(h.info('count').lastFired).toBe('2027-06-14T06:00:00.000Z');
  });

  it('describes each rule for the add-on', async () => {
    const h = harness();
    h.system.addRule(Counter, { file: 'count.ts' });
    await h.system.start();
    expect(h.system.rules()).toEqual([
      {
        id: 'count-counter',
        name: 'Counter',
        title: 'Press counter',
        file: 'count.ts',
        description: 'If Button 1 event "pressed" occurs, run the rule\'s action',
        kind: 'if',
        settings: [],
        enabled: true,
        active: false,
        lastFired: null,
        nextFire: null,
        status: 'ok',
      },
    ]);
  });

  it('removes a rule: its triggers stop and ruleRemoved is announced', async () => {
    const h = harness();
    const removed: string[] = [];
    h.system.on('ruleRemoved', ({ ruleId }) => removed.push(ruleId));
    h.system.addRule(Counter, { id: 'count' });
    await h.system.start();
    const rule = h.system.instance('count') as Counter;
    await h.system.removeRule('count');
    h.home.press('Button 1');
    await h.settle();
    expect(rule.presses).toBe(0);
    expect(removed).toEqual(['count']);
    expect(h.system.rules()).toEqual([]);
  });

  it('adds a rule while running and starts it at once', async () => {
    const h = harness();
    await h.system.start();
    h.system.addRule(Counter, { id: 'count' });
    h.home.press('Button 1');
    await h.settle();
    expect((h.system.instance('count') as Counter).presses).toBe(1);
  });

  it('refuses a second rule with the same id', async () => {
    const h = harness();
    h.system.addRule(Counter, { id: 'count' });
    expect(() => h.system.addRule(Counter, { id: 'count' })).toThrow(/Duplicate rule id "count"/);
  });

  it('stops every rule and closes the gateway on stop()', async () => {
    const h = harness();
    h.system.addRule(Counter, { id: 'count' });
    await h.system.start();
    await h.system.stop();
    h.home.press('Button 1');
    await h.settle();
    expect((h.system.instance('count') as Counter).presses).toBe(0);
    expect(h.system.running).toBe(false);
  });
});
