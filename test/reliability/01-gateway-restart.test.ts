/**
 * Issue 6, point 1: the simulated gateway stops for 10 s and comes back on the same port. The
 * client's backoff runs on the virtual clock, so the outage is 10 s on the clock that counts,
 * while every reconnect attempt fails for real against the closed port.
 */
import { Rule } from 'rule-things';
import { Stack, startStack } from './stack';

const OUTAGE_MS = 10_000;

class PorchFollowsMotionRule extends Rule {
  triggers() {
    return [this.things.Motion_Sensor.property('motion')];
  }

  action(_trigger: unknown, _property: string, value: unknown) {
    this.things.Porch_Light.on = value;
  }
}

class KettleButtonRule extends Rule {
  triggers() {
    return [this.things.Button_1.event('pressed')];
  }

  action() {
    this.things.Kettle.on = !this.things.Kettle.on;
  }
}

const PORCH = 'porch-follows-motion-rule';
const KETTLE = 'kettle-button-rule';

let s: Stack;

afterEach(async () => {
  await s.stop();
});

test('rules run on through a 10 s gateway restart, say "gateway unreachable since …" meanwhile and "ok" after, and act once per change', async () => {
  s = await startStack({
    // A low cap, so that a 10 s outage shows it.
    client: { backoff: { initialMs: 500, maxMs: 2000 } },
    rules: [
      [PorchFollowsMotionRule, { id: PORCH }],
      [KettleButtonRule, { id: KETTLE }],
    ],
  });
  const written: string[] = [];
  s.home.on('propertyChanged', ({ thingId, name, value }) => {
    if (thingId === 'sim-porch-light' || thingId === 'sim-kettle')
      written.push(`${thingId} ${name}=${value}`);
  });

  const down = s.until(PORCH, (r) => r.status.startsWith('gateway unreachable'));
  await s.stopGateway();
  const since = s.clock.now().toFormat('yyyy-MM-dd HH:mm:ss');
  expect((await down).status).toContain(`gateway unreachable since ${since}`);
  await s.until(KETTLE, (r) => r.status.startsWith(`gateway unreachable since ${since}`));

  // While the gateway is away, someone walks past the motion sensor.
  s.home.setProperty('sim-motion-sensor', 'motion', true);
  const delays = await s.keepDown(OUTAGE_MS);
  expect(s.system.rule(PORCH)!.status).toContain(`gateway unreachable since ${since}`);

  const ok = Promise.all([
    s.until(PORCH, (r) => r.status === 'ok'),
    s.until(KETTLE, (r) => r.status === 'ok'),
  ]);
  const porchOn = s.next(
    'propertyChanged',
    (c) => c.thingId === 'sim-porch-light' && c.value === true
  );
  await s.startGateway();
  await ok;
  await porchOn;

  // Backoff: capped at 2 s (first attempt within 0.5 s), with full jitter rather than one fixed step.
  expect(delays.length).toBeGreaterThanOrEqual(5);
  expect(delays[0]).toBeLessThan(500);
  expect(Math.max(...delays)).toBeLessThan(2000);
  expect(new Set(delays).size).toBeGreaterThan(1);

  // Every thing and value was read again.
  for (const thing of s.client.things()) {
    expect(thing.values).toEqual(s.home.values(thing.description.id));
  }
  // The change made while away ran the rule once; the greeting burst of the new socket did not.
  await s.clock.advance(0);
  expect(s.fired.filter((f) => f.ruleId === PORCH).map((f) => f.value)).toEqual([true]);
  expect(written).toEqual(['sim-porch-light on=true']);

  // Rules continue: a property change and a button press (its event subscription was renewed).
  const porchOff = s.next('propertyChanged', (c) => c.thingId === 'sim-porch-light');
  s.home.setProperty('sim-motion-sensor', 'motion', false);
  await porchOff;
  const kettleOn = s.next('propertyChanged', (c) => c.thingId === 'sim-kettle');
  s.home.press('Button 1');
  await kettleOn;
  await s.clock.advance(0);

  expect(written).toEqual([
    'sim-porch-light on=true',
    'sim-porch-light on=false',
    'sim-kettle on=true',
  ]);
  expect(s.fired.map((f) => f.ruleId)).toEqual([PORCH, PORCH, KETTLE]);
});
