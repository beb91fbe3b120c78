/**
 * `check` and `simulate` with rules that pick their things (thing settings): checked as if the
 * first matching thing were chosen, and dry-run with things chosen by `--set`. Dusk is checked
 * against suncalc's formulas (computed independently of ours).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as SunCalc from 'suncalc';
import { DateTime } from 'luxon';
import { checkRules } from '../../src/authoring/check';
import { simulateRule } from '../../src/authoring/simulate';
import { generateThingTypes } from '../../src/authoring/thingTypes';
import { seedHome } from '../../src/simulator';

const READY = path.resolve(__dirname, '../../ready-rules');
const BERLIN = { lat: 52.52, lon: 13.405 };

let dir: string;
let typesFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-thing-settings-'));
  const home = seedHome();
  typesFile = path.join(dir, 'things.d.ts');
  fs.writeFileSync(typesFile, generateThingTypes(home.thingIds().map((id) => home.describe(id))));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('check of rules with thing settings', () => {
  it('passes every ready rule, types and triggers, against generated thing types', async () => {
    const files = fs.readdirSync(READY).map((file) => path.join(READY, file));
    expect(await checkRules(files, { typesFile })).toEqual([]);
  });

  it('validates triggers as if the first matching thing were chosen', async () => {
    const file = path.join(dir, 'pressed.ts');
    fs.writeFileSync(
      file,
      `import { Rule } from 'rule-things';
export default class Pressed extends Rule {
  button = this.thingSetting('button', { title: 'Button', event: 'pressed' });
  triggers() { return [this.button.thing.event('presed')]; }
}
`
    );
    const found = await checkRules([file], { typesFile });
    expect(found.map((d) => d.message)).toEqual([
      expect.stringMatching(/Pressed: .*Button 1.*has no event "presed"/),
    ]);
  });

  it('warns when no thing of the gateway fits a thing setting', async () => {
    const file = path.join(dir, 'thermostat.ts');
    fs.writeFileSync(
      file,
      `import { Rule } from 'rule-things';
export default class Heat extends Rule {
  thermostat = this.thingSetting('thermostat', { title: 'Thermostat', capability: 'Thermostat' });
  triggers() { return [this.thermostat.thing]; }
}
`
    );
    const [warning] = await checkRules([file], { typesFile });
    expect(warning).toMatchObject({ severity: 'warning' });
    expect(warning.message).toBe(
      'Heat: thing setting "thermostat": choose a Thermostat, but no thing fits (the id of a Thermostat of the gateway (a thing of type Thermostat), or "" for none)'
    );
  });
});

describe('simulate of rules with thing settings', () => {
  const options = {
    from: '2027-06-14T12:00',
    days: 1,
    tz: 'Europe/Berlin',
    ...BERLIN,
    all: true,
  };

  it('runs Dusk to time with its light chosen: on at civil dusk, off at the set time', async () => {
    const run = await simulateRule(path.join(READY, 'dusk-to-time.ts'), {
      ...options,
      settings: { light: 'Porch Light', offTime: '23:15' },
    });
    const changes = run.entries.filter((e) => e.kind === 'set');
    expect(changes.map((e) => e.text)).toEqual([
      'Porch Light on: false → true',
      'Porch Light on: true → false',
    ]);
    const dusk = SunCalc.getTimes(new Date('2027-06-14T12:00:00Z'), 52.52, 13.405).dusk!;
    const on = DateTime.fromISO(changes[0].at, { setZone: true });
    expect(Math.abs(on.toMillis() - dusk.getTime())).toBeLessThan(2 * 60_000);
    expect(changes[1].at).toBe('2027-06-14T23:15:00.000+02:00');
    // Waiting for its light until --set gave it is not a failure (the CLI would exit 1).
    expect(run.failures).toEqual([]);
  });

  it('says a rule did nothing until its thing is chosen, and how to choose it', async () => {
    const run = await simulateRule(path.join(READY, 'dusk-to-time.ts'), options);
    expect(run.entries.filter((e) => e.kind === 'set')).toEqual([]);
    expect(run.text).toContain(
      'DuskToTime did nothing: choose a Light (add --set light="Bedside Ikea Light")'
    );
    expect(run.failures).toEqual([]);
  });

  it('refuses a thing that is not of the kind the setting picks, naming what it offers', async () => {
    await expect(
      simulateRule(path.join(READY, 'dusk-to-time.ts'), {
        ...options,
        settings: { light: 'Motion Sensor' },
      })
    ).rejects.toThrow(/setting "light" = "Motion Sensor" is not a Light of the gateway/);
    await expect(
      simulateRule(path.join(READY, 'dusk-to-time.ts'), { ...options, settings: { colour: 'red' } })
    ).rejects.toThrow('No rule has a setting "colour" (settings: light, event, offset, offTime)');
  });
});
