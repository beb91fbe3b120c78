/**
 * Scenarios 3 and 6 of the real-gateway suite: a rule following a busy switch is never paused and
 * loses nothing, and a RuleThing titled like a device never takes the device's name in
 * `this.things`.
 */
import { Gateway, scenario, waitFor, FOLLOW_SWITCH } from './harness';

// Its RuleThing is titled exactly like the light it drives.
const SAME_TITLE = `import { Rule } from 'rule-things';

export default class LightFollowsSwitchRule extends Rule {
  static title = 'Virtual On/Off Light';

  triggers() {
    return [this.things.Virtual_On_Off_Switch.property('on')];
  }

  action() {
    this.things.Virtual_On_Off_Light.on = this.things.Virtual_On_Off_Switch.on;
  }
}
`;

let gw: Gateway;
let sw: string;
let plug: string;
let light: string;

beforeAll(async () => {
  gw = await Gateway.start();
  sw = await gw.idOf('Virtual On/Off Switch');
  plug = await gw.idOf('Virtual Smart Plug');
  light = await gw.idOf('Virtual On/Off Light');
}, 300_000);
afterAll(() => gw?.stop());

async function ruleRuns(id: string): Promise<void> {
  await waitFor(async () => (await gw.property(id, 'status')) === 'ok', 30_000, `${id} ok`, 100);
}

/** Flips the switch until `follower` follows it once (the rule file loaded and type-checked). */
async function follows(follower: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const target = !(await gw.property(follower, 'on'));
    // The switch may already be there (another rule's scenario left it so): a change is needed.
    if ((await gw.property(sw, 'on')) === target) await gw.setProperty(sw, 'on', !target);
    await gw.setProperty(sw, 'on', target);
    try {
      await waitFor(
        async () => (await gw.property(follower, 'on')) === target,
        2_000,
        'follow',
        20
      );
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
    }
  }
}

describe('scenario 3: a typed rule following a switch toggled 150 times in about a minute', () => {
  it('loses no change and is never paused', async () => {
    gw.writeRule('follow-switch.ts', FOLLOW_SWITCH);
    const id = await gw.addThing(await gw.waitForOffered('Follow Switch', 30_000));
    await ruleRuns(id);
    await follows(plug);
    const started = Date.now();
    let lost = 0;
    let slowest = 0;
    for (let i = 0; i < 150; i++) {
      const target = !(await gw.property(sw, 'on'));
      const at = Date.now();
      await gw.setProperty(sw, 'on', target);
      try {
        await waitFor(async () => (await gw.property(plug, 'on')) === target, 2_000, 'plug', 10);
        slowest = Math.max(slowest, Date.now() - at);
      } catch {
        lost++;
      }
      // About 150 a minute: the rest of each 400 ms slot.
      await new Promise((r) => setTimeout(r, Math.max(0, 400 - (Date.now() - at))));
    }
    const seconds = (Date.now() - started) / 1000;
    expect(lost).toBe(0);
    expect(await gw.property(id, 'enabled')).toBe(true);
    expect(await gw.property(id, 'status')).toBe('ok');
    scenario(
      '3',
      'busy switch followed',
      `150 toggles in ${seconds.toFixed(0)} s: ${lost} lost, slowest ${slowest} ms, status ok, never paused`
    );
  }, 240_000);
});

describe('scenario 6: a device and a RuleThing with the same title', () => {
  it('this.things.<Name> is the device, also once the RuleThing is added', async () => {
    gw.writeRule('light-follows-switch.ts', SAME_TITLE);
    const offered = await gw.waitForOffered('Virtual On/Off Light', 30_000);
    const id = await gw.addThing(offered);
    expect(id).toMatch(/^rule-things-/);
    await ruleRuns(id);
    await follows(light);
    await follows(light);
    expect(await gw.property(id, 'status')).toBe('ok');
    scenario('6', 'same title', `this.things.Virtual_On_Off_Light drives ${light}, not ${id}`);
  }, 180_000);
});
