/** Tests of checkRules: compiler errors named by thing and property, range checks, and trigger validation without running actions. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkRules, hasErrors } from '../../src/authoring/check';
import { Diagnostic, formatDiagnostic } from '../../src/authoring/diagnostics';
import { generateThingTypes } from '../../src/authoring/thingTypes';
import { seedHome } from '../../src/simulator';

const EXAMPLES = path.resolve(__dirname, '../../examples');

let dir: string;
let typesFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-check-'));
  const home = seedHome();
  typesFile = path.join(dir, 'things.d.ts');
  fs.writeFileSync(typesFile, generateThingTypes(home.thingIds().map((id) => home.describe(id))));
});

function ruleFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function check(files: string[]): Promise<Diagnostic[]> {
  return checkRules(files, { typesFile });
}

/** "line:col: message" of each diagnostic, for compact expectations. */
function lines(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`);
}

describe('checkRules', () => {
  it('passes a rule that uses a thing titled in another language by its own letters, and names a typo', async () => {
    const home = seedHome();
    home.addThing({
      id: 'sim-kueche',
      title: 'Küchenlicht',
      properties: { on: { type: 'boolean', value: false } },
    });
    const types = path.join(dir, 'unicode-things.d.ts');
    fs.writeFileSync(types, generateThingTypes(home.thingIds().map((id) => home.describe(id))));
    const good = ruleFile(
      'kueche.ts',
      `import { Rule } from 'rule-things';
export default class KitchenOn extends Rule {
  triggers() { return [this.things.Button_1.event('pressed')]; }
  action() { this.things.Küchenlicht.on = true; }
}
`
    );
    expect(await checkRules([good], { typesFile: types })).toEqual([]);
    const typo = ruleFile(
      'kueche-typo.ts',
      fs.readFileSync(good, 'utf8').replace('Küchenlicht', 'Kuchenlicht')
    );
    expect(lines(await checkRules([typo], { typesFile: types }))).toEqual([
      expect.stringMatching(/this\.things\.Kuchenlicht: no thing has this name.*Küchenlicht/),
    ]);
  });

  it('passes a good rule that uses things, a setting and a time trigger', async () => {
    const file = ruleFile(
      'good.ts',
      `import { AbsoluteTimeTrigger, Rule } from 'rule-things';

export default class GoodWake extends Rule {
  alarm = this.setting('alarmTime', '06:30');
  triggers() {
    return [new AbsoluteTimeTrigger(this.alarm, { days: 'weekdays' }), this.things.Button_1.event('pressed')];
  }
  async action() {
    const light = this.things.Bedside_Ikea_Light;
    light.on = true;
    light.level = 100;
    await light.set('level', 1);
    await light.fadeTo('level', 100, '20m');
    console.log(this.things.Motion_Sensor.motion);
  }
}
`
    );
    expect(await check([file])).toEqual([]);
  });

  it.each([
    'example-if.ts',
    'button-kettle.ts',
    'morning-wake.ts',
    'porch-light.ts',
    'rainbow.ts',
    'motion-night-light.ts',
  ])('passes the example %s against the seed home', async (name) => {
    expect(lines(await check([path.join(EXAMPLES, name)]))).toEqual([]);
  });

  it('names the thing and the property when a property name is wrong', async () => {
    const file = ruleFile(
      'wrong-property.ts',
      `import { Rule } from 'rule-things';

export default class WrongProperty extends Rule {
  action() {
    this.things.Bedside_Ikea_Light.levle = 50;
  }
}
`
    );
    const found = await check([file]);
    expect(lines(found)).toEqual([
      '5:36: Bedside_Ikea_Light.levle: Bedside_Ikea_Light has no property or member of this name (did you mean level?)',
    ]);
    expect(hasErrors(found)).toBe(true);
  });

  it('says a value is above the maximum, with the allowed range', async () => {
    const file = ruleFile(
      'too-bright.ts',
      `import { Rule } from 'rule-things';

export default class TooBright extends Rule {
  async action() {
    this.things.Bedside_Ikea_Light.level = 120;
    await this.things.Philips_HUE_01.set('level', -5);
  }
}
`
    );
    const found = await check([file]);
    expect(lines(found)).toEqual([
      '5:44: Bedside_Ikea_Light.level: 120 is above the maximum 100 (allowed: 0–100 %)',
      '6:51: Philips_HUE_01.level: -5 is below the minimum 0 (allowed: 0–100 %)',
    ]);
    expect(found.every((d) => d.code === 'range')).toBe(true);
  });

  it('says how to write a computed value that the type cannot prove in range', async () => {
    const file = ruleFile(
      'computed.ts',
      `import { Rule } from 'rule-things';

export default class Computed extends Rule {
  action(_trigger: unknown, _property: string, value: number) {
    this.things.Bedside_Ikea_Light.level = Math.round(value);
  }
}
`
    );
    expect(lines(await check([file]))).toEqual([
      "5:5: Bedside_Ikea_Light.level: a number may be outside 0–100 %; check it, then assert the type (`as Integer_0_to_100`, with import type { Integer_0_to_100 } from 'rule-things')",
    ]);
  });

  it('accepts the asserted type the message suggests', async () => {
    const file = ruleFile(
      'asserted.ts',
      `import { Rule, type Integer_0_to_100 } from 'rule-things';

export default class Asserted extends Rule {
  action(_trigger: unknown, _property: string, value: number) {
    this.things.Bedside_Ikea_Light.level = Math.min(100, Math.max(0, Math.round(value))) as Integer_0_to_100;
  }
}
`
    );
    expect(await check([file])).toEqual([]);
  });

  it('names a misspelled thing and suggests the right one', async () => {
    const file = ruleFile(
      'misspelled.ts',
      `import { Rule } from 'rule-things';

export default class Misspelled extends Rule {
  action() {
    this.things.Bedside_Ikea_Ligt.on = true;
  }
}
`
    );
    expect(lines(await check([file]))).toEqual([
      '5:17: this.things.Bedside_Ikea_Ligt: no thing has this name (did you mean Bedside_Ikea_Light?)',
    ]);
  });

  it('rejects an event the thing does not have and a read-only property', async () => {
    const file = ruleFile(
      'events.ts',
      `import { Rule } from 'rule-things';

export default class Events extends Rule {
  triggers() {
    return [this.things.Button_1.event('longPressed')];
  }
  action() {
    this.things.Motion_Sensor.motion = true;
  }
}
`
    );
    const found = await check([file]);
    expect(lines(found)).toEqual([
      "5:40: Button_1.event('longPressed'): Button_1 has no event of this name (it has 'pressed')",
      "8:31: Cannot assign to 'motion' because it is a read-only property.",
    ]);
    expect(found.map((d) => d.code)).toEqual(['TS2345', 'TS2540']);
  });

  it('fails a "25:99" alarm at trigger validation, at the line that makes the trigger', async () => {
    const file = ruleFile(
      'bad-alarm.ts',
      `import { AbsoluteTimeTrigger, Rule } from 'rule-things';

export default class BadAlarm extends Rule {
  triggers() {
    return [new AbsoluteTimeTrigger('25:99')];
  }
  action() {
    this.things.Kettle.on = true;
  }
}
`
    );
    const found = await check([file]);
    expect(lines(found)).toEqual([
      '5:13: BadAlarm: error in triggers(): Invalid time of day: "25:99" (use HH:MM or HH:MM:SS (24-hour), e.g. "06:30")',
    ]);
    expect(found[0].code).toBe('trigger');
    expect(formatDiagnostic(found[0], dir)).toMatch(
      /^bad-alarm\.ts:5:13: BadAlarm: error in triggers\(\): Invalid time of day/
    );
  });

  it('fails a bad setting default while constructing the rule, at the line of the setting', async () => {
    const file = ruleFile(
      'bad-setting.ts',
      `import { AbsoluteTimeTrigger, Rule } from 'rule-things';

export default class BadSetting extends Rule {
  alarm = this.setting('alarmTime', '25:99');
  triggers() {
    return [new AbsoluteTimeTrigger(this.alarm)];
  }
}
`
    );
    const found = await check([file]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 4, code: 'trigger', severity: 'error' });
    expect(found[0].message).toMatch(/^BadSetting: .*25:99/);
  });

  it('validates the triggers of a plain JavaScript rule: unknown solar event, negative period', async () => {
    const file = ruleFile(
      'plain.js',
      `const { HeartBeat, Rule, SolarEventTrigger } = require('rule-things');

class Dusk extends Rule {
  dusk = new SolarEventTrigger('civilDsk');
  triggers() { return [this.dusk]; }
}

class Beat extends Rule {
  triggers() { return [new HeartBeat('-2s')]; }
}

module.exports = { Dusk, Beat };
`
    );
    const found = await check([file]);
    expect(lines(found)).toEqual([
      expect.stringMatching(
        /^4:\d+: Dusk: Unknown solar event: "civilDsk" \(use one of sunrise, sunset, /
      ),
      expect.stringMatching(/^9:\d+: Beat: error in triggers\(\): Invalid HeartBeat period: "-2s"/),
    ]);
  });

  it('never runs actions or initial state while checking', async () => {
    const marker = path.join(dir, 'ran.txt');
    const file = ruleFile(
      'side-effects.ts',
      `import { HeartBeat, Rule } from 'rule-things';
import * as fs from 'fs';

export default class SideEffects extends Rule {
  triggers() {
    return [new HeartBeat('1s'), this.things.Kettle];
  }
  initialState() {
    fs.writeFileSync(${JSON.stringify(marker)}, 'initialState');
  }
  action() {
    fs.writeFileSync(${JSON.stringify(marker)}, 'action');
  }
}
`
    );
    expect(await check([file])).toEqual([]);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('reports a file that does not parse once, from the compiler', async () => {
    const file = ruleFile(
      'broken.ts',
      `import { Rule } from 'rule-things';\nexport default class Broken extends Rule {\n  action( {\n}\n`
    );
    const found = await check([file]);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((d) => d.code.startsWith('TS'))).toBe(true);
  });

  it('reports a missing file without throwing', async () => {
    const found = await check([path.join(dir, 'nope.ts')]);
    expect(lines(found)).toEqual([
      `1:1: Cannot read rule file: ${path.join(dir, 'nope.ts')} does not exist`,
    ]);
  });

  it('without thing types, accepts any thing name (the engine checks it when the rule runs)', async () => {
    const file = ruleFile(
      'untyped.ts',
      `import { Rule } from 'rule-things';
export default class Untyped extends Rule {
  action() { this.things.Whatever.on = true; }
}
`
    );
    expect(await checkRules([file])).toEqual([]);
  });
});

describe('formatDiagnostic', () => {
  it('prints file:line:col: message, relative to the working folder', () => {
    const d: Diagnostic = {
      file: '/home/me/rules/wake.ts',
      line: 3,
      column: 7,
      message: 'Bad',
      severity: 'error',
      code: 'x',
    };
    expect(formatDiagnostic(d, '/home/me')).toBe('rules/wake.ts:3:7: Bad');
    expect(formatDiagnostic({ ...d, severity: 'warning' }, '/elsewhere')).toBe(
      '/home/me/rules/wake.ts:3:7: warning: Bad'
    );
  });
});
