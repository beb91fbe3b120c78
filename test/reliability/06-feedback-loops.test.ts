/**
 * Issue 6, point 6: two rules that bounce a value between two lights forever, over the gateway's
 * real sockets, are stopped by the loop guard within a bounded number of cycles, and both
 * statuses say which rules loop.
 */
import { Rule } from 'rule-things';
import { Stack, startStack } from './stack';

class FirstEchoRule extends Rule {
  triggers() {
    return [this.things.Philips_HUE_01.property('on')];
  }

  action() {
    this.things.Philips_HUE_02.on = !this.things.Philips_HUE_02.on;
  }
}

class SecondEchoRule extends Rule {
  triggers() {
    return [this.things.Philips_HUE_02.property('on')];
  }

  action() {
    this.things.Philips_HUE_01.on = !this.things.Philips_HUE_01.on;
  }
}

let s: Stack;

afterEach(async () => {
  await s.stop();
});

test('two rules bouncing a light between them are paused within 10 firings, each status naming both rules', async () => {
  s = await startStack({
    rules: [
      [FirstEchoRule, { id: 'first' }],
      [SecondEchoRule, { id: 'second' }],
    ],
  });
  let writes = 0;
  s.home.on('propertyChanged', ({ thingId }) => {
    if (thingId === 'sim-philips-hue-01' || thingId === 'sim-philips-hue-02') writes++;
  });

  const paused = Promise.all(
    ['first', 'second'].map((id) => s.until(id, (r) => r.status.startsWith('paused')))
  );
  s.home.setProperty('sim-philips-hue-01', 'on', !s.home.getProperty('sim-philips-hue-01', 'on'));
  for (const rule of await paused) {
    expect(rule.enabled).toBe(false);
    expect(rule.status).toMatch(
      /^paused by loop guard: feedback loop "(First|Second) Echo" → "(Second|First) Echo" \(a chain of 11 rule firings\)$/
    );
  }
  // The person's change plus at most one write per firing of the chain.
  expect(writes).toBeLessThanOrEqual(11);
  expect(s.fired.length).toBeLessThanOrEqual(10);
});
