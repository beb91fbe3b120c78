/**
 * Issue 12, one verdict per rule file, in the real engine thread: a seed-style untyped rule
 * dropped into the rules folder of a running runner runs, its type warning in its status; after
 * a restart the same file gets the same status; a file with a syntax error is stopped, at start
 * and on hot reload alike.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { RealClock } from '../../src/clock';
import type { FromEngine, RuleInfo } from '../../src/engine/messages';
import { seedHome, SimulatorServer } from '../../src/simulator';
import { runStandalone, StandaloneRunner } from '../../src/standalone/runStandalone';

const TOKEN = 'verdict-test-token-7d2a';
const SEED_STYLE = `import { Rule } from 'rule-things';

export default class FollowHue extends Rule {
  triggers() { return [this.things.Philips_HUE_01]; }
  action(_t: unknown, property: string, value: unknown) {
    if (property === 'on') this.things.Porch_Light.on = value;
  }
}
`;
const SEED_STATUS =
  "ok, with warnings: follow-hue.ts:6:28: Porch_Light.on: Type 'unknown' is not assignable to type 'boolean'.";
const BROKEN = `import { Rule } from 'rule-things';
export default class Broken extends Rule {
  action() { this.things.Kettle.on = ; }
}
`;

let dir: string;
let simulator: SimulatorServer;
let runner: StandaloneRunner | undefined;
let messages: FromEngine[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-verdict-'));
  fs.mkdirSync(path.join(dir, 'rules'));
  simulator = new SimulatorServer({ token: TOKEN, home: seedHome() });
  await simulator.start();
});

afterAll(async () => {
  await runner?.stop();
  await simulator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<void> {
  messages = [];
  runner = await runStandalone({
    gatewayUrl: simulator.url,
    token: TOKEN,
    rulesFolder: path.join(dir, 'rules'),
    timeZone: 'UTC',
    place: null,
    acceptSelfSigned: false,
    loopGuardRate: 600,
    stateFile: path.join(dir, 'state.json'),
    // things.d.ts in the folder: the check knows Porch_Light.on is a boolean
    writeTypes: true,
    clock: new RealClock('UTC'),
    onMessage: (message) => messages.push(message),
  });
}

/** The rule's latest info once it satisfies `test`. */
async function ruleWhere(id: string, test: (rule: RuleInfo) => boolean): Promise<RuleInfo> {
  const end = Date.now() + 80_000;
  for (;;) {
    const latest = [...messages]
      .reverse()
      .flatMap((m) => (m.type === 'ruleChanged' ? [m.rule] : m.type === 'rules' ? m.rules : []))
      .find((rule) => rule.id === id);
    if (latest && test(latest)) return latest;
    if (Date.now() > end) throw new Error(`${id}: ${JSON.stringify(latest)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a dropped seed-style rule runs with its warning in its status, the same after a restart; a syntax error stops a file', async () => {
  fs.writeFileSync(path.join(dir, 'rules', 'broken.ts'), BROKEN);
  await start();
  const brokenAtStart = (await ruleWhere('broken', (r) => r.status !== 'ok')).status;
  expect(brokenAtStart).toMatch(/^failed to load broken\.ts:3: /);
  // Once things.d.ts is written, a dropped file is checked against the home's things.
  const typesFile = path.join(dir, 'rules', 'things.d.ts');
  const end = Date.now() + 30_000;
  while (!fs.existsSync(typesFile) && Date.now() < end)
    await new Promise((resolve) => setTimeout(resolve, 100));

  fs.writeFileSync(path.join(dir, 'rules', 'follow-hue.ts'), SEED_STYLE);
  expect((await ruleWhere('follow-hue', (r) => r.status !== 'ok')).status).toBe(SEED_STATUS);
  simulator.home.writeProperty('sim-philips-hue-01', 'on', true);
  const until = Date.now() + 10_000;
  while (simulator.home.getProperty('sim-porch-light', 'on') !== true && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(simulator.home.getProperty('sim-porch-light', 'on')).toBe(true);

  fs.writeFileSync(path.join(dir, 'rules', 'broken.ts'), BROKEN + '\n');
  await ruleWhere('broken', (r) => r.status === brokenAtStart);

  await runner!.stop();
  runner = undefined;
  await start();
  expect((await ruleWhere('follow-hue', (r) => r.status !== 'ok')).status).toBe(SEED_STATUS);
  expect((await ruleWhere('broken', (r) => r.status !== 'ok')).status).toBe(brokenAtStart);
}, 200_000);
