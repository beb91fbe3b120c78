/** Concurrency modes: what a trigger does while the rule's async action still runs. */
import { isAbort } from '../../src/engine/abort';
import type { RuleMode } from '../../src/engine/concurrency';
import { Rule } from '../../src/engine/Rule';
import { harness } from './harness';

/** Counts runs of a one-minute action triggered by Button 1. */
function sleeper(mode: RuleMode, max = 10) {
  return class Sleeper extends Rule {
    static mode = mode;
    static max = max;
    started = 0;
    finished = 0;
    aborted = 0;
    triggers() {
      return [this.things.Button_1.event('pressed')];
    }
    async action() {
      this.started++;
      try {
        await this.sleep('1m');
        this.finished++;
      } catch (error) {
        if (isAbort(error)) this.aborted++;
        throw error;
      }
    }
  };
}

async function pressed(mode: RuleMode, presses: number, max = 10) {
  const h = harness();
  h.system.addRule(sleeper(mode, max), { id: 'r' });
  await h.system.start();
  const rule = h.system.instance('r') as InstanceType<ReturnType<typeof sleeper>>;
  for (let i = 0; i < presses; i++) {
    h.home.press('Button 1');
    await h.clock.advance('10s');
  }
  return { h, rule };
}

describe('concurrency modes', () => {
  it('single refuses a second trigger while the action runs, and notes it', async () => {
    const { h, rule } = await pressed('single', 2);
    await h.clock.advance('5m');
    expect([rule.started, rule.finished]).toEqual([1, 1]);
    expect(
      h.logs.some((l) =>
        /still running; trigger "Button 1 event \"pressed\" occurs" refused \(mode single\)/.test(l)
      )
    ).toBe(true);
  });

  it('restart aborts the running action and starts again', async () => {
    const { h, rule } = await pressed('restart', 2);
    await h.clock.advance('5m');
    expect([rule.started, rule.aborted, rule.finished]).toEqual([2, 1, 1]);
    expect(h.info('r').status).toBe('ok');
  });

  it('restart aborts a running fade', async () => {
    class Fader extends Rule {
      static mode = 'restart' as const;
      triggers() {
        return [this.things.Button_1.event('pressed')];
      }
      async action() {
        await this.things.Bedside_Ikea_Light.fadeTo('level', 100, '100s', { from: 0 });
      }
    }
    const h = harness();
    h.system.addRule(Fader, { id: 'f' });
    await h.system.start();
    h.home.press('Button 1');
    await h.clock.advance('50s');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'level')).toBe(50);
    h.home.press('Button 1');
    await h.clock.advance('10s');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'level')).toBe(10);
    await h.clock.advance('90s');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'level')).toBe(100);
  });

  it('queued runs one trigger after another', async () => {
    const { h, rule } = await pressed('queued', 3);
    expect([rule.started, rule.finished]).toEqual([1, 0]);
    await h.clock.advance('40s');
    expect([rule.started, rule.finished]).toEqual([2, 1]);
    await h.clock.advance('2m');
    expect([rule.started, rule.finished]).toEqual([3, 3]);
  });

  it('parallel runs up to max at once and refuses more', async () => {
    const { h, rule } = await pressed('parallel', 3, 2);
    await h.clock.advance('5m');
    expect([rule.started, rule.finished]).toEqual([2, 2]);
  });

  it('marks the rule active while an async action runs', async () => {
    const { h } = await pressed('single', 1);
    expect(h.info('r').active).toBe(true);
    await h.clock.advance('1m');
    expect(h.info('r').active).toBe(false);
  });
});
