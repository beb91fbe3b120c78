/**
 * Issue 11 scenario 2, second half (issue 12, one verdict per rule file), in the real gateway: a
 * seed-style untyped rule file dropped into the rules folder runs, its type warning in its
 * RuleThing's `status`, and gets the same status after a gateway restart; a file with a syntax
 * error shows it in its RuleThing's `status`, at start as on hot reload.
 */
import fs from 'fs';
import path from 'path';
import { Gateway, scenario, thingId, waitFor } from './harness';

// The seed's style: whatever the switch reports is copied onto the plug, untyped.
const SEED_STYLE = `import { Rule } from 'rule-things';

export default class FollowSwitch extends Rule {
  triggers() { return [this.things.Virtual_On_Off_Switch]; }
  action(_t: unknown, property: string, value: unknown) {
    if (property === 'on') this.things.Virtual_Smart_Plug.on = value;
  }
}
`;
const BROKEN = `import { Rule } from 'rule-things';
export default class Broken extends Rule {
  action() { this.things.Virtual_Smart_Plug.on = ; }
}
`;
const FOLLOW = 'rule-things-follow-switch';
const BROKEN_ID = 'rule-things-broken';

let gw: Gateway;
let switchId: string;
let plugId: string;

beforeAll(async () => {
  gw = await Gateway.start();
  const things = await gw.things();
  const byTitle = (title: string): string => thingId(things.find((t) => t.title === title)!);
  switchId = byTitle('Virtual On/Off Switch');
  plugId = byTitle('Virtual Smart Plug');
}, 240_000);
afterAll(() => gw?.stop());

const status = async (id: string): Promise<string> => String(await gw.property(id, 'status'));

/** Adds the RuleThing `id` once "+" offers it. */
async function addWhenOffered(id: string): Promise<void> {
  await waitFor(
    async () => (await gw.addNewThings((t) => thingId(t) === id)).length > 0,
    60_000,
    `${id} offered under "+"`,
    500
  );
}

describe('one verdict per rule file in the real gateway', () => {
  let warned: string;
  let broken: string;

  it('runs a dropped seed-style rule with its type warning in its status', async () => {
    // The add-on writes the home's thing types first; the check reads them.
    await waitFor(
      () => fs.existsSync(path.join(gw.rulesDir, 'things.d.ts')),
      60_000,
      'things.d.ts in the rules folder'
    );
    const dropped = Date.now();
    fs.writeFileSync(path.join(gw.rulesDir, 'follow-switch.ts'), SEED_STYLE);
    await addWhenOffered(FOLLOW);
    warned = await waitFor(
      async () => {
        const now = await status(FOLLOW);
        return now.startsWith('ok, with warnings: ') && now;
      },
      90_000,
      'the warning in the status of Follow Switch'
    );
    expect(warned).toMatch(
      /^ok, with warnings: follow-switch\.ts:6:28: Virtual_Smart_Plug\.on: Type 'unknown' is not assignable to type 'boolean'\.$/
    );
    const shown = Date.now() - dropped;

    await gw.setProperty(switchId, 'on', true);
    await waitFor(async () => (await gw.property(plugId, 'on')) === true, 10_000, 'the plug on');
    await gw.setProperty(switchId, 'on', false);
    await waitFor(async () => (await gw.property(plugId, 'on')) === false, 10_000, 'the plug off');
    scenario(
      '11.2b',
      'seed-style rule dropped in runs, warning in its status',
      `${shown} ms to the warning`
    );
  }, 240_000);

  it("shows a syntax error in the status of the file's RuleThing", async () => {
    fs.writeFileSync(path.join(gw.rulesDir, 'broken.ts'), BROKEN);
    await addWhenOffered(BROKEN_ID);
    broken = await waitFor(
      async () => {
        const now = await status(BROKEN_ID);
        return now.startsWith('failed to load') && now;
      },
      60_000,
      'the syntax error in the status of Broken'
    );
    expect(broken).toMatch(/^failed to load broken\.ts:3: /);
    scenario('11.2b', 'syntax error in its RuleThing status', broken);
  }, 120_000);

  it('gives both files the same status after a gateway restart, and the seed-style rule still runs', async () => {
    await gw.restart();
    await waitFor(async () => (await status(FOLLOW)) === warned, 120_000, 'the same warning');
    await waitFor(async () => (await status(BROKEN_ID)) === broken, 30_000, 'the same error');
    await gw.setProperty(switchId, 'on', true);
    await waitFor(async () => (await gw.property(plugId, 'on')) === true, 15_000, 'the plug on');
    scenario('11.2b', 'same verdicts after a gateway restart', 'warning and error unchanged');
  }, 300_000);
});
