/**
 * The standalone runner end to end on 127.0.0.1: the real engine thread runs examples/ against the
 * gateway-shaped simulator, its rules are served as Web Things, and a switch over HTTP reaches the
 * engine; plus the `check` command's verdicts.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import fetch from 'node-fetch';
import { main } from '../../src/cli';
import { RealClock } from '../../src/clock';
import type { FromEngine } from '../../src/engine/messages';
import { seedHome, SimulatorServer } from '../../src/simulator';
import { runStandalone, StandaloneRunner } from '../../src/standalone/runStandalone';

const TOKEN = 'standalone-test-token-4c1f9b';
const SERVE_TOKEN = 'standalone-serve-token-71e0d3';
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

let simulator: SimulatorServer;
let runner: StandaloneRunner;
let dir: string;
const messages: FromEngine[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-standalone-'));
  const clock = new RealClock('Europe/Berlin');
  simulator = new SimulatorServer({ token: TOKEN, home: seedHome(clock) });
  await simulator.start();
  runner = await runStandalone({
    gatewayUrl: simulator.url,
    token: TOKEN,
    rulesFolder: EXAMPLES,
    timeZone: 'Europe/Berlin',
    place: { latitude: 52.52, longitude: 13.405 },
    acceptSelfSigned: false,
    loopGuardRate: 600,
    stateFile: path.join(dir, 'state.json'),
    writeTypes: false,
    serve: { port: 0, host: '127.0.0.1', token: SERVE_TOKEN },
    clock,
    onMessage: (message) => messages.push(message),
  });
});

afterAll(async () => {
  await runner.stop();
  await simulator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function until<T>(find: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error('not seen in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the standalone runner', () => {
  it('runs the examples against the simulated home: the rainbow rotates', async () => {
    const first = simulator.home.getProperty('sim-philips-hue-01', 'color');
    const fired = await until(() =>
      messages.find(
        (m) => m.type === 'fired' && m.record.ruleId === 'rainbow' && m.record.changes.length > 0
      )
    );
    expect(fired.type === 'fired' && fired.record.trigger).toBe('every 2 seconds');
    await until(() =>
      simulator.home.getProperty('sim-philips-hue-01', 'color') !== first ? true : undefined
    );
  });

  it('serves every example rule as a Web Thing, and a switch over HTTP reaches the engine', async () => {
    const things = (await (
      await fetch(`${runner.servedAt}/`, {
        headers: { Accept: 'application/json', Authorization: `Bearer ${SERVE_TOKEN}` },
      })
    ).json()) as { title: string; href: string }[];
    const titles = things.map((t) => t.title);
    expect(titles).toEqual(expect.arrayContaining(['Rainbow', 'Morning Fade Wake', 'Porch Light']));
    const rainbow = things.find((t) => t.title === 'Rainbow')!;
    const response = await fetch(`${runner.servedAt}${rainbow.href}/properties/enabled`, {
      method: 'PUT',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        Authorization: `Bearer ${SERVE_TOKEN}`,
      },
      body: JSON.stringify({ enabled: false }),
    });
    expect(response.status).toBe(200);
    await until(() =>
      messages.find(
        (m) => m.type === 'ruleChanged' && m.rule.id === 'rainbow' && m.rule.enabled === false
      )
    );
    // Written atomically a moment after the switch; absent until then.
    const savedEnabled = () => {
      const file = path.join(dir, 'state.json');
      return fs.existsSync(file)
        ? JSON.parse(fs.readFileSync(file, 'utf8')).rules.rainbow?.enabled
        : undefined;
    };
    await until(() => (savedEnabled() === false ? true : undefined));
  });

  it('leaves the examples folder as it is (no types written into it)', () => {
    expect(fs.existsSync(path.join(EXAMPLES, 'things.d.ts'))).toBe(false);
  });

  it('never shows the token in what it reports', () => {
    expect(JSON.stringify(messages)).not.toContain(TOKEN);
  });
});

describe('rule-things check', () => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  afterAll(() => log.mockRestore());

  it('passes the examples', async () => {
    expect(await main(['check', path.join(EXAMPLES, 'rainbow.ts')])).toBe(0);
  });

  it('fails a rule with a bad alarm time, naming file and line', async () => {
    const file = path.join(dir, 'bad-alarm.ts');
    fs.writeFileSync(
      file,
      [
        "import { AbsoluteTimeTrigger, Rule } from 'rule-things';",
        'export default class BadAlarm extends Rule {',
        "  triggers() { return [new AbsoluteTimeTrigger('25:99')]; }",
        '  action() {}',
        '}',
        '',
      ].join('\n')
    );
    expect(await main(['check', file])).toBe(1);
    const printed = log.mock.calls.map((call) => String(call[0])).join('\n');
    expect(printed).toMatch(/bad-alarm\.ts:3:\d+: .*25:99/);
  });
});
