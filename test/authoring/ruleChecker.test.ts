/** Tests of the add-on's check before a rule file starts: RuleFolder's `check` option with createRuleChecker, on real files over the simulated home. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRuleChecker } from '../../src/authoring/ruleChecker';
import { THING_TYPES_FILE, writeThingTypes } from '../../src/authoring/typesFile';
import { RuleFolder } from '../../src/engine/RuleFolder';
import { harness, Harness } from '../engine/harness';

const GOOD = `import { Rule } from 'rule-things';

export default class BedsideOn extends Rule {
  level = this.setting('level', 40, { minimum: 1, maximum: 100 });
  triggers() {
    return [this.things.Button_1.event('pressed')];
  }
  action() {
    this.things.Bedside_Ikea_Light.level = 100;
  }
}
`;
// line 9, column 44: the 120
const OUT_OF_RANGE = GOOD.replace('level = 100;', 'level = 120;');
const BAD_TIME = `import { AbsoluteTimeTrigger, Rule } from 'rule-things';

export class Wake extends Rule {
  triggers() {
    return [new AbsoluteTimeTrigger('25:99')];
  }
}

export class Other extends Rule {
  triggers() {
    return [this.things.Button_2.event('pressed')];
  }
}
`;

// The first of two errors: the bad time (line 5) comes before the unknown event (line 11).
const WAKE_STATUS =
  'failed to load wake.ts:5:13: Wake: error in triggers(): Invalid time of day: "25:99" ' +
  '(use HH:MM or HH:MM:SS (24-hour), e.g. "06:30") (and 1 more)';

let folder: string;
let h: Harness;
let logs: string[];

function write(name: string, text: string): void {
  fs.writeFileSync(path.join(folder, name), text);
}

function ruleFolder(check = createRuleChecker(folder, () => h.gateway.things())): RuleFolder {
  return new RuleFolder(h.system, folder, h.clock, {
    check,
    log: (message) => logs.push(message),
  });
}

beforeEach(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-checker-'));
  logs = [];
  h = harness();
  await h.gateway.connect();
  writeThingTypes(
    path.join(folder, THING_TYPES_FILE),
    h.gateway.things().map((t) => t.description)
  );
});

afterEach(async () => {
  await h.system.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('RuleFolder with createRuleChecker', () => {
  it('starts a file that passes, and keeps a file with a type error from starting', async () => {
    write('bedside-on.ts', GOOD);
    write('too-bright.ts', OUT_OF_RANGE.replace('BedsideOn', 'TooBright'));
    const rules = ruleFolder();
    await rules.loadAll();
    await h.system.start();
    expect(h.info('bedside-on').status).toBe('ok');
    // The rule keeps its id (so its RuleThing stays) and says where and what.
    expect(h.info('too-bright').status).toBe(
      'failed to load too-bright.ts:9:44: Bedside_Ikea_Light.level: 120 is above the maximum 100 (allowed: 0–100 %)'
    );
    expect(h.system.instance('too-bright')).toBeUndefined();
    h.home.press('Button 1');
    await h.settle();
    expect(h.commands).toEqual(['bedside-ikea-light level=100']);
    expect(logs).toContain(
      'rule file too-bright.ts: failed to load too-bright.ts:9:44: Bedside_Ikea_Light.level: 120 is above the maximum 100 (allowed: 0–100 %)'
    );
  });

  it('names the first error of a file and counts the rest; a failing file stops all its rules', async () => {
    write('wake.ts', BAD_TIME.replace("'pressed'", "'longPressed'"));
    const rules = ruleFolder();
    await rules.loadAll();
    expect(h.system.rules().map((r) => [r.id, r.status])).toEqual([
      ['wake', WAKE_STATUS],
      ['wake-other', WAKE_STATUS],
    ]);
  });

  it('starts a fixed file with the on/off state and settings its rule had before it broke', async () => {
    write('bedside-on.ts', GOOD);
    const rules = ruleFolder();
    await rules.loadAll();
    await h.system.start();
    await h.system.setEnabled('bedside-on', false);
    h.system.setSetting('bedside-on', 'level', 70);
    write('bedside-on.ts', OUT_OF_RANGE);
    await rules.reload('bedside-on.ts');
    expect(h.info('bedside-on').status).toMatch(/^failed to load bedside-on\.ts:9:44: /);
    write('bedside-on.ts', GOOD.replace('= 100;', '= 90;'));
    await rules.reload('bedside-on.ts');
    expect(h.info('bedside-on')).toMatchObject({ status: 'ok', enabled: false });
    expect(h.info('bedside-on').settings[0].value).toBe(70);
  });

  it('applies two quick saves of a file in order, not interleaved', async () => {
    write('bedside-on.ts', GOOD);
    const rules = ruleFolder();
    await rules.loadAll();
    write('bedside-on.ts', OUT_OF_RANGE);
    const first = rules.reload('bedside-on.ts');
    write('bedside-on.ts', GOOD);
    const second = rules.reload('bedside-on.ts');
    await Promise.all([first, second]);
    expect(h.system.rules().map((r) => [r.id, r.status])).toEqual([['bedside-on', 'ok']]);
    expect(logs.filter((l) => /not added/.test(l))).toEqual([]);
  });

  it('checks types only while the gateway has not reported its things', async () => {
    write('wake.ts', BAD_TIME);
    write('bedside-on.ts', OUT_OF_RANGE);
    const rules = ruleFolder(createRuleChecker(folder, () => []));
    await rules.loadAll();
    // The bad time is the engine's to report when the rule starts; the type error is caught now.
    expect(h.info('wake').status).not.toMatch(/^failed to load/);
    expect(h.info('bedside-on').status).toMatch(/^failed to load bedside-on\.ts:9:44: /);
  });

  it('loads a file unchecked when the check itself fails, and says so', async () => {
    write('bedside-on.ts', GOOD);
    const rules = ruleFolder(() => Promise.reject(new Error('compiler crashed')));
    await rules.loadAll();
    await h.system.start();
    expect(h.info('bedside-on').status).toBe('ok');
    expect(logs).toContain('rule file bedside-on.ts not checked: compiler crashed');
  });

  it('checks against the API alone while the folder has no thing types', async () => {
    fs.unlinkSync(path.join(folder, THING_TYPES_FILE));
    write('bedside-on.ts', OUT_OF_RANGE.replace('Bedside_Ikea_Light', 'Anything_At_All'));
    write('typo.ts', GOOD.replace('BedsideOn', 'Typo').replace('this.setting(', 'this.settting('));
    const rules = ruleFolder(createRuleChecker(folder, () => []));
    await rules.loadAll();
    expect(h.info('bedside-on').status).not.toMatch(/^failed/);
    expect(h.info('typo').status).toMatch(
      /^failed to load typo\.ts:4:16: Property 'settting' does not exist/
    );
  });
});
