/**
 * A rule's faults (errors that escaped its code, charged by the engine thread's containment) on
 * the virtual clock: three within ten minutes switch it off; a While rule resumes the list of what
 * to put back that a previous engine saved.
 */
import { Rule } from '../../src/engine/Rule';
import { WhileRule } from '../../src/engine/WhileRule';
import { harness } from './harness';

class Quiet extends Rule {}

class PorchWhileMotion extends WhileRule {
  triggers() {
    return [this.things.Motion_Sensor.property('motion')];
  }
  condition() {
    return this.things.Motion_Sensor.motion === true;
  }
  whileTrue() {
    this.things.Porch_Light.on = true;
  }
}

describe('faults', () => {
  it('switch a rule off at the third within ten minutes, and say so for the host to save', async () => {
    const h = harness();
    const off: string[] = [];
    h.system.on('switchedOff', ({ ruleId, reason }) => off.push(`${ruleId}: ${reason}`));
    h.system.addRule(Quiet, { id: 'q', file: 'quiet.ts' });
    await h.system.start();
    const scope = { ruleId: 'q', file: 'quiet.ts', method: 'action' };

    h.system.fault(scope, 'uncaught error in code started by action(): one (quiet.ts:3)');
    await h.clock.advance('6m');
    h.system.fault(scope, 'uncaught error in code started by action(): two (quiet.ts:3)');
    await h.clock.advance('5m');
    // The first is more than ten minutes old: two within the window.
    h.system.fault(scope, 'uncaught error in code started by action(): three (quiet.ts:3)');
    expect(h.info('q')).toMatchObject({
      enabled: true,
      status: 'uncaught error in code started by action(): three (quiet.ts:3)',
    });
    expect(off).toEqual([]);

    await h.clock.advance('1m');
    h.system.fault(scope, 'unhandled promise rejection in code started by action(): four');
    const reason =
      'switched off after 3 faults within 10 minutes; the last: unhandled promise rejection in code started by action(): four';
    expect(h.info('q')).toMatchObject({ enabled: false, status: reason });
    expect(off).toEqual([`q: ${reason}`]);
  });

  it("of a file's top level are charged to every rule of that file", async () => {
    const h = harness();
    h.system.addRule(Quiet, { id: 'a', file: 'two.ts' });
    h.system.addRule(PorchWhileMotion, { id: 'b', file: 'two.ts' });
    h.system.addRule(Quiet, { id: 'c', file: 'other.ts' });
    await h.system.start();
    h.system.fault({ file: 'two.ts', method: 'top level' }, 'uncaught error: boom (two.ts:1)');
    expect(['a', 'b', 'c'].map((id) => h.info(id).status)).toEqual([
      'uncaught error: boom (two.ts:1)',
      'uncaught error: boom (two.ts:1)',
      'ok',
    ]);
  });
});

describe('a While rule given the list a previous engine saved', () => {
  const saved = [{ thingId: 'sim-porch-light', name: 'on', value: false }];

  it('puts it back at once when its condition no longer holds', async () => {
    const h = harness();
    h.home.writeProperty('sim-porch-light', 'on', true);
    h.system.addRule(PorchWhileMotion, { id: 'w', restore: saved });
    await h.system.start();
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(false);
  });

  it('keeps it for the end of a phase that still holds, and reports each change of the list', async () => {
    const h = harness();
    const lists: string[] = [];
    h.system.on('restoreList', ({ restore }) => lists.push(JSON.stringify(restore)));
    h.home.writeProperty('sim-porch-light', 'on', true);
    h.home.setProperty('sim-motion-sensor', 'motion', true);
    h.system.addRule(PorchWhileMotion, { id: 'w', restore: saved });
    await h.system.start();
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
    h.home.setProperty('sim-motion-sensor', 'motion', false);
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(false);
    expect(lists).toEqual(['[]']);
  });
});
