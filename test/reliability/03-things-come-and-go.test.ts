/**
 * Issue 6, point 3: a thing removed from the gateway while a rule uses it makes the rule wait, its
 * status naming the thing, until it returns; a rule naming a thing that never existed says so,
 * with the closest names.
 */
import { Rule } from 'rule-things';
import { seedThings } from '../../src/simulator';
import { Stack, startStack } from './stack';

class PorchFollowsMotionRule extends Rule {
  triggers() {
    return [this.things.Motion_Sensor.property('motion')];
  }

  action(_trigger: unknown, _property: string, value: unknown) {
    this.things.Porch_Light.on = value;
  }
}

class TypoRule extends Rule {
  triggers() {
    return [this.things.Porch_Lihgt];
  }
}

const PORCH = 'porch-follows-motion-rule';

let s: Stack;

afterEach(async () => {
  await s.stop();
});

test('a rule whose thing is removed waits, naming it in its status, and resumes when it returns', async () => {
  s = await startStack({ rules: [[PorchFollowsMotionRule, { id: PORCH }]] });
  const porch = seedThings().find((thing) => thing.id === 'sim-porch-light')!;
  const porchOn = s.next('propertyChanged', (c) => c.thingId === 'sim-porch-light');
  s.home.setProperty('sim-motion-sensor', 'motion', true);
  await porchOn;

  const waiting = s.until(PORCH, (r) => r.status !== 'ok');
  s.home.removeThing('sim-porch-light');
  expect((await waiting).status).toBe(
    'waiting for "Porch Light", which was removed from the gateway; the rule resumes when it returns'
  );

  // Motion while the light is gone runs nothing, so no error replaces what the status says.
  const motion = s.next('propertyChanged', (c) => c.thingId === 'sim-motion-sensor');
  s.home.setProperty('sim-motion-sensor', 'motion', false);
  await motion;
  await s.clock.advance(0);
  expect(s.fired).toHaveLength(1);
  expect(s.system.rule(PORCH)!.status).toMatch(/^waiting for "Porch Light"/);

  const resumed = s.until(PORCH, (r) => r.status === 'ok');
  s.home.addThing(porch);
  await resumed;
  const porchAgain = s.next('propertyChanged', (c) => c.thingId === 'sim-porch-light');
  s.home.setProperty('sim-motion-sensor', 'motion', true);
  await porchAgain;
  expect(s.home.getProperty('sim-porch-light', 'on')).toBe(true);
  expect(s.fired.map((f) => f.value)).toEqual([true, true]);
});

test('a rule naming a thing that never existed says which, and the closest names', async () => {
  s = await startStack({ rules: [[TypoRule, { id: 'typo' }]] });

  expect(s.system.rule('typo')!.status).toBe(
    'failed to start: error in triggers(): Unknown thing: this.things.Porch_Lihgt does not exist (closest: Porch_Light, Coffee_Maker, Kettle)'
  );
});
