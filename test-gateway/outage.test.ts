/**
 * Scenario 9: the standalone runner (`node -r sucrase/register src/cli.ts --gateway …`) against the
 * real gateway keeps its rules working across a 10 s gateway outage.
 */
import fs from 'fs';
import path from 'path';
import { Gateway, REPO_ROOT, scenario, TrackedProcess, waitFor, FOLLOW_SWITCH } from './harness';

let gw: Gateway;
let runner: TrackedProcess | undefined;
let sw: string;
let plug: string;

beforeAll(async () => {
  gw = await Gateway.start({ ruleThings: false });
  sw = await gw.idOf('Virtual On/Off Switch');
  plug = await gw.idOf('Virtual Smart Plug');
}, 300_000);
afterAll(async () => {
  await runner?.stop();
  await gw?.stop();
});

/** Flips the switch to the opposite of the plug until the plug follows; gives how long it took. */
async function ruleLive(timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const target = !(await gw.property(plug, 'on'));
      if ((await gw.property(sw, 'on')) === target) await gw.setProperty(sw, 'on', !target);
      await gw.setProperty(sw, 'on', target);
      await waitFor(async () => (await gw.property(plug, 'on')) === target, 2_000, 'the plug', 20);
      return Date.now() - started;
    } catch (e) {
      if (Date.now() - started > timeoutMs) throw e;
    }
  }
}

describe('scenario 9: the standalone runner against the real gateway', () => {
  it('keeps its rules working across a 10 s gateway outage', async () => {
    const rules = path.join(gw.root, 'runner-rules');
    fs.mkdirSync(rules);
    fs.writeFileSync(path.join(rules, 'follow-switch.ts'), FOLLOW_SWITCH);
    runner = TrackedProcess.start(
      process.execPath,
      [
        '-r',
        'sucrase/register',
        'src/cli.ts',
        '--gateway',
        gw.base,
        '--rules',
        rules,
        '--no-serve',
        '--state',
        path.join(gw.root, 'runner-state.json'),
        '--tz',
        'Europe/Berlin',
      ],
      // The token in the environment, not on the command line (ps shows that).
      {
        cwd: REPO_ROOT,
        env: { ...process.env, NODE_ENV: 'production', RULE_THINGS_TOKEN: gw.localToken },
      }
    );
    const firstMs = await ruleLive(60_000);

    await gw.halt();
    const down = Date.now();
    await new Promise((r) => setTimeout(r, 10_000));
    await gw.resume();
    const outageMs = Date.now() - down;
    const backMs = await ruleLive(60_000);

    expect(runner.running()).toBe(true);
    expect(runner.output()).not.toContain(gw.localToken);
    scenario(
      '9',
      'runner survives an outage',
      `following ${firstMs} ms after start; gateway down ${outageMs} ms; following again ${backMs} ms after it answered`
    );
  }, 240_000);
});
