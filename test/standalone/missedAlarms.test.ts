/**
 * The runner keeps an alarm's occurrences as the add-on does: one missed while it was stopped
 * runs once at its next start (within the grace period), is saved, and does not run again at
 * the start after that. Real engine thread, real clock, the simulator on 127.0.0.1.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { DateTime } from 'luxon';
import { RealClock } from '../../src/clock';
import type { FromEngine } from '../../src/engine/messages';
import { seedHome, SimulatorServer } from '../../src/simulator';
import { runStandalone } from '../../src/standalone/runStandalone';
import { AbsoluteTimeTrigger } from '../../src/triggers/AbsoluteTimeTrigger';

const TOKEN = 'missed-alarm-test-token-2b9d';
const RULE = 'wake';

let dir: string;
let simulator: SimulatorServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-missed-'));
  simulator = new SimulatorServer({ token: TOKEN, home: seedHome(new RealClock('UTC')) });
  await simulator.start();
});

afterAll(async () => {
  await simulator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the runner until its rules are reported; returns every engine message of that run. */
async function runOnce(): Promise<FromEngine[]> {
  const messages: FromEngine[] = [];
  const runner = await runStandalone({
    gatewayUrl: simulator.url,
    token: TOKEN,
    rulesFolder: path.join(dir, 'rules'),
    timeZone: 'UTC',
    place: null,
    acceptSelfSigned: false,
    loopGuardRate: 60,
    stateFile: path.join(dir, 'state.json'),
    writeTypes: false,
    clock: new RealClock('UTC'),
    onMessage: (message) => messages.push(message),
  });
  try {
    const end = Date.now() + 20_000;
    // The catch-up is logged while the rules start, before they are reported with their sentences
    // (which need the gateway's things; the first report, at load, has none).
    while (
      !messages.some(
        (m) => m.type === 'rules' && m.rules.some((r) => r.id === RULE && r.description)
      )
    ) {
      if (Date.now() > end) throw new Error('the rules were not reported in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await runner.stop();
  }
  return messages;
}

const caughtUp = (messages: FromEngine[]) =>
  messages.filter(
    (m) => m.type === 'log' && /while the rule engine was down; running it now/.test(m.message)
  );

test('an alarm missed while the runner was stopped runs once at the next start, and not at the one after', async () => {
  // Two minutes ago, within the five-minute grace period; it last ran the day before.
  const due = DateTime.utc().startOf('minute').minus({ minutes: 2 });
  const alarm = due.toFormat('HH:mm');
  fs.mkdirSync(path.join(dir, 'rules'));
  fs.writeFileSync(
    path.join(dir, 'rules', `${RULE}.ts`),
    [
      "import { AbsoluteTimeTrigger, Rule } from 'rule-things';",
      'export default class Wake extends Rule {',
      `  triggers() { return [new AbsoluteTimeTrigger('${alarm}')]; }`,
      '  action() { this.things.Bedside_Ikea_Light.on = true; }',
      '}',
      '',
    ].join('\n')
  );
  const key = new AbsoluteTimeTrigger(alarm).describe();
  const lastRan = due.minus({ days: 1 }).toISO()!;
  fs.writeFileSync(
    path.join(dir, 'state.json'),
    JSON.stringify({ version: 1, rules: { [RULE]: { occurrences: { [key]: lastRan } } } })
  );

  expect(caughtUp(await runOnce())).toHaveLength(1);
  const saved = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8'));
  expect(Date.parse(saved.rules[RULE].occurrences[key])).toBe(due.toMillis());

  expect(caughtUp(await runOnce())).toEqual([]);
}, 60_000);
