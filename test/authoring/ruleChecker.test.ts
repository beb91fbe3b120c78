/**
 * The add-on's type check of rule files (RuleFolder's `check` with createRuleChecker, in the
 * checker's own thread) on real files over the simulated home: one verdict per file, at start and
 * on hot reload alike; type diagnostics are warnings in the status and the log and never stop a
 * rule; what stops one is a syntax error, a throwing module, or invalid trigger arguments; and a
 * check never stalls the engine's thread.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRuleChecker, RuleChecker } from '../../src/authoring/ruleChecker';
import { THING_TYPES_FILE, writeThingTypes } from '../../src/authoring/typesFile';
import { RuleFolder } from '../../src/engine/RuleFolder';
import { harness, Harness } from '../engine/harness';
import { measureThreadStall } from '../threadStall';

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
// The seed's untyped style: copy whatever changed onto another thing (line 6: `value` is unknown).
const SEED_STYLE = `import { Rule } from 'rule-things';

export default class FollowHue extends Rule {
  triggers() { return [this.things.Philips_HUE_01]; }
  action(_t: unknown, property: string, value: unknown) {
    if (property === 'on') this.things.Porch_Light.on = value;
  }
}
`;
const SYNTAX_ERROR = GOOD.replace('triggers() {', 'triggers() {{');
const BAD_TIME = `import { AbsoluteTimeTrigger, Rule } from 'rule-things';

export class Wake extends Rule {
  triggers() {
    return [new AbsoluteTimeTrigger('25:99')];
  }
}
`;

// One folder and one checker thread for the file: the compiler's first start takes seconds.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-checker-'));
const checker: RuleChecker = createRuleChecker(folder);
let h: Harness;
let logs: string[];
// A cold compiler on a loaded 2-core machine takes up to half a minute for its first check.
const COLD = 90_000;

function write(name: string, text: string): void {
  fs.writeFileSync(path.join(folder, name), text);
}

function ruleFolder(check = checker.check): RuleFolder {
  return new RuleFolder(h.system, folder, h.clock, {
    check,
    log: (message, level = 'info') => logs.push(`${level}: ${message}`),
  });
}

beforeEach(async () => {
  for (const name of fs.readdirSync(folder)) fs.rmSync(path.join(folder, name));
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
});

afterAll(async () => {
  await checker.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

/** Loads the folder as the engine starts, runs the rules, and waits for the checks. */
async function start(rules: RuleFolder): Promise<void> {
  await rules.loadAll();
  await h.system.start();
  await rules.checked();
}

const SEED_WARNING =
  "follow-hue.ts:6:28: Porch_Light.on: Type 'unknown' is not assignable to type 'boolean'.";

describe('one verdict per rule file', () => {
  it(
    'runs the seed-style untyped rule when dropped in, with its type warning in its status and the log',
    async () => {
      const rules = ruleFolder();
      await start(rules);
      write('follow-hue.ts', SEED_STYLE);
      await rules.reload('follow-hue.ts');
      await rules.checked();
      expect(h.info('follow-hue').status).toBe(`ok, with warnings: ${SEED_WARNING}`);
      expect(logs).toContain(`warn: rule file follow-hue.ts: type warning: ${SEED_WARNING}`);
      await h.userSets('sim-philips-hue-01', 'on', true);
      expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
    },
    COLD
  );

  it('gives a file the same verdict at start as on hot reload: a type error is a warning, the rule runs', async () => {
    const tooBright = OUT_OF_RANGE.replace('BedsideOn', 'TooBright');
    write('too-bright.ts', tooBright);
    const rules = ruleFolder();
    await start(rules);
    const atStart = h.info('too-bright').status;
    expect(atStart).toBe(
      'ok, with warnings: too-bright.ts:9:44: Bedside_Ikea_Light.level: 120 is above the maximum 100 (allowed: 0–100 %)'
    );
    expect(h.system.instance('too-bright')).toBeDefined();
    write('too-bright.ts', tooBright + '\n');
    await rules.reload('too-bright.ts');
    await rules.checked();
    expect(h.info('too-bright').status).toBe(atStart);
  });

  it('stops a file with a syntax error, at start and on hot reload alike, naming file and line', async () => {
    write('broken.ts', SYNTAX_ERROR);
    const rules = ruleFolder();
    await start(rules);
    const atStart = h.info('broken').status;
    expect(atStart).toMatch(/^failed to load broken\.ts:\d+: /);
    write('broken.ts', SYNTAX_ERROR + '\n');
    await rules.reload('broken.ts');
    expect(h.info('broken').status).toBe(atStart);
  });

  it('stops a rule whose trigger arguments are invalid, at start and on hot reload alike', async () => {
    write('wake.ts', BAD_TIME);
    const rules = ruleFolder();
    await start(rules);
    const atStart = h.info('wake').status;
    expect(atStart).toMatch(
      /^failed to start: error in triggers\(\): Invalid time of day: "25:99"/
    );
    write('wake.ts', BAD_TIME + '\n');
    await rules.reload('wake.ts');
    await h.settle();
    expect(h.info('wake').status).toBe(atStart);
  });

  it('clears the warning when the file is fixed, and keeps the on/off state and settings it had', async () => {
    write('bedside-on.ts', OUT_OF_RANGE);
    const rules = ruleFolder();
    await start(rules);
    await h.system.setEnabled('bedside-on', false);
    h.system.setSetting('bedside-on', 'level', 70);
    write('bedside-on.ts', GOOD.replace('= 100;', '= 90;'));
    await rules.reload('bedside-on.ts');
    await rules.checked();
    expect(h.info('bedside-on')).toMatchObject({ status: 'ok', enabled: false });
    expect(h.info('bedside-on').settings[0].value).toBe(70);
  });

  it('applies two quick saves of a file in order: the warning of the first never lands on the second', async () => {
    write('bedside-on.ts', GOOD);
    const rules = ruleFolder();
    await start(rules);
    write('bedside-on.ts', OUT_OF_RANGE);
    const first = rules.reload('bedside-on.ts');
    write('bedside-on.ts', GOOD);
    const second = rules.reload('bedside-on.ts');
    await Promise.all([first, second]);
    await rules.checked();
    expect(h.system.rules().map((r) => [r.id, r.status])).toEqual([['bedside-on', 'ok']]);
    expect(logs.filter((l) => /not added/.test(l))).toEqual([]);
  });

  it('runs a file when the check itself fails, and says so', async () => {
    write('bedside-on.ts', GOOD);
    const rules = ruleFolder(() => Promise.reject(new Error('compiler crashed')));
    await start(rules);
    expect(h.info('bedside-on').status).toBe('ok');
    expect(logs).toContain('info: rule file bedside-on.ts not type-checked: compiler crashed');
  });

  it('checks against the API alone while the folder has no thing types', async () => {
    fs.unlinkSync(path.join(folder, THING_TYPES_FILE));
    write('typo.ts', GOOD.replace('BedsideOn', 'Typo').replace('this.setting(', 'this.settting('));
    const rules = ruleFolder();
    await rules.loadAll();
    await rules.checked();
    expect(h.info('typo').status).toMatch(
      /^ok, with warnings: typo\.ts:4:16: Property 'settting' does not exist/
    );
  });
});

describe('the type checker runs off the engine thread', () => {
  it(
    'never stalls the engine thread by more than 50 ms while it checks, and a rule reacts meanwhile',
    async () => {
      write('bedside-on.ts', GOOD);
      // A checker of its own: its first check starts a thread and the compiler, seconds of work.
      const cold = createRuleChecker(folder);
      const rules = ruleFolder(cold.check);
      await rules.loadAll();
      await h.system.start();
      const stall = measureThreadStall();
      write(
        'too-bright.ts',
        OUT_OF_RANGE.replace('BedsideOn', 'TooBright').replace('Button_1', 'Button_2')
      );
      await rules.reload('too-bright.ts');
      let checking = true;
      const done = rules.checked().then(() => (checking = false));
      h.home.press('Button 1');
      await h.settle();
      expect(checking).toBe(true);
      expect(h.commands).toContain('sim-bedside-ikea-light level=100');
      await done;
      const longest = stall.stop();
      await cold.close();
      expect(h.info('too-bright').status).toMatch(/^ok, with warnings: too-bright\.ts:9:44: /);
      // Before, the compiler ran on this thread: one stall of 1.9 s on x86.
      expect(longest).toBeLessThan(50);
    },
    COLD
  );
});
