/**
 * A rule's writes made in one go reach the gateway in one system call (over the simulator's real
 * WebSocket): six lights set by an action, and what a While rule puts back when it ends.
 */
import { Rule, WhileRule } from 'rule-things';
import { Stack, startStack } from '../reliability/stack';
import { countHandOvers, HandOvers } from '../webthing/handOvers';
import { waitUntil } from '../waitUntil';

const BULBS = [1, 2, 3, 4, 5, 6].map((n) => `sim-philips-hue-0${n}`);

class AllBulbsOn extends Rule {
  triggers() {
    return [this.things.Porch_Light.property('on')];
  }

  action() {
    for (let n = 1; n <= 6; n++) this.thing(`Philips HUE 0${n}`).on = this.things.Porch_Light.on;
  }
}

class BulbsWhileKettle extends WhileRule {
  triggers() {
    return [this.things.Kettle.property('on')];
  }

  condition() {
    return this.things.Kettle.on === true;
  }

  whileTrue() {
    for (let n = 1; n <= 6; n++) this.thing(`Philips HUE 0${n}`).level = 7;
  }
}

let s: Stack;
let handOvers: HandOvers | undefined;

afterEach(async () => {
  handOvers?.restore();
  handOvers = undefined;
  await s.stop();
});

/** Every bulb holds `value`, and the client has heard so (its writes are confirmed). */
async function allLanded(name: string, value: unknown): Promise<void> {
  await Promise.all(BULBS.map((id) => s.landed(id, name, value)));
  const heard = () =>
    BULBS.every(
      (id) => s.client.things().find((t) => t.description.id === id)?.values[name] === value
    );
  await waitUntil(heard, { what: `the client to hear ${name} ${String(value)}` });
}

test("an action's six writes leave in one hand-over to the kernel", async () => {
  s = await startStack({ rules: [[AllBulbsOn, { id: 'all-bulbs' }]] });
  for (const id of BULBS) s.home.setProperty(id, 'on', false);
  await allLanded('on', false);

  handOvers = countHandOvers(s.server.port);
  s.home.setProperty('sim-porch-light', 'on', true);
  await allLanded('on', true);

  expect(handOvers.calls).toEqual(['_writev']);
});

test('what a While rule puts back leaves in one hand-over too', async () => {
  s = await startStack({ rules: [[BulbsWhileKettle, { id: 'bulbs-while-kettle' }]] });
  for (const id of BULBS) s.home.setProperty(id, 'level', 50);
  await allLanded('level', 50);
  s.home.setProperty('sim-kettle', 'on', true);
  await allLanded('level', 7);

  handOvers = countHandOvers(s.server.port);
  s.home.setProperty('sim-kettle', 'on', false);
  await allLanded('level', 50);

  expect(handOvers.calls).toEqual(['_writev']);
});
