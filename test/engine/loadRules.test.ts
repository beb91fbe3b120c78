/** Rule files from a folder: TypeScript on the fly, 'rule-things' imports, clear load errors, reloads. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { RealClock } from '../../src/clock';
import { loadRuleFile, loadRules } from '../../src/engine/loadRules';
import { RuleFolder } from '../../src/engine/RuleFolder';
import { harness } from './harness';
import { waitUntil } from '../waitUntil';

// The folder watcher's reloads, polled every 20 ms for up to 2 s.
const RELOADED = { timeoutMs: 2000, pollMs: 20 };

const GOOD = `import { Rule, HeartBeat } from 'rule-things';
import { target } from './helper';

interface Shape { on: boolean }

export default class PorchOnRule extends Rule {
  alarm = this.setting('alarmTime', '06:30');
  triggers() { return [this.things.Button_1.event('pressed')]; }
  action(): void {
    const wanted: Shape = { on: true };
    this.thing(target).on = wanted.on;
  }
}

export class KettleBeat extends Rule {
  static enabledByDefault = false;
  triggers() { return [new HeartBeat('1m')]; }
}
`;

const HELPER = `export const target: string = 'Porch Light';\n`;

const BROKEN = `import { Rule } from 'rule-things';

export class Broken extends Rule {
  triggers() { return [; }
}
`;

const THROWS = `const a = 1;
throw new Error('no config at line ' + (a + 1));
`;

let folder: string;

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
  fs.writeFileSync(path.join(folder, 'porch.ts'), GOOD);
  fs.writeFileSync(path.join(folder, 'helper.ts'), HELPER);
  fs.writeFileSync(path.join(folder, 'broken.ts'), BROKEN);
  fs.writeFileSync(path.join(folder, 'throws.js'), THROWS);
  fs.mkdirSync(path.join(folder, 'examples'));
  fs.writeFileSync(path.join(folder, 'examples', 'ignored.ts'), BROKEN);
});

afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('loading rule files', () => {
  it('compiles a TypeScript rule file and finds each exported rule class', () => {
    const loaded = loadRuleFile(folder, 'porch.ts');
    expect(loaded.failure).toBeUndefined();
    expect(loaded.rules.map((r) => [r.id, r.name])).toEqual([
      ['porch-porch-on', 'PorchOnRule'],
      ['porch-kettle-beat', 'KettleBeat'],
    ]);
  });

  it('reports a file that does not compile with its file and line', () => {
    expect(loadRuleFile(folder, 'broken.ts').failure).toEqual({
      id: 'broken',
      name: 'broken',
      status: 'failed to load broken.ts:4: Unexpected token',
    });
  });

  it('reports a file that throws while loading with its file and line', () => {
    expect(loadRuleFile(folder, 'throws.js').failure?.status).toBe(
      'failed to load throws.js:2: no config at line 2'
    );
  });

  it('loads only the files directly in the folder', () => {
    expect(loadRules(folder).map((f) => f.file)).toEqual([
      'broken.ts',
      'helper.ts',
      'porch.ts',
      'throws.js',
    ]);
  });

  it('runs the good rules of a folder while the broken files show their errors', async () => {
    const h = harness();
    const rules = new RuleFolder(h.system, folder, h.clock);
    await rules.loadAll();
    await h.system.start();
    expect(h.system.rules().map((r) => [r.id, r.enabled, r.status])).toEqual([
      ['broken', true, 'failed to load broken.ts:4: Unexpected token'],
      ['porch-porch-on', true, 'ok'],
      ['porch-kettle-beat', false, 'ok'],
      ['throws', true, 'failed to load throws.js:2: no config at line 2'],
    ]);
    h.home.press('Button 1');
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
  });

  it('reloads a changed file, keeping its rules on/off state and settings', async () => {
    const h = harness();
    const rules = new RuleFolder(h.system, folder, h.clock);
    await rules.loadAll();
    await h.system.start();
    await h.system.setEnabled('porch-porch-on', false);
    h.system.setSetting('porch-porch-on', 'alarmTime', '07:00');
    fs.writeFileSync(path.join(folder, 'porch.ts'), GOOD.replace("'1m'", "'2m'"));
    await rules.reload('porch.ts');
    expect(h.info('porch-porch-on')).toMatchObject({ enabled: false });
    expect(h.info('porch-porch-on').settings[0].value).toBe('07:00');
    fs.writeFileSync(path.join(folder, 'broken.ts'), BROKEN.replace('[;', '[];'));
    await rules.reload('broken.ts');
    expect(h.info('broken')).toMatchObject({ name: 'Broken', status: 'ok' });
  });

  it('applies what changed in the folder between loading and watching (a file dropped in while the engine started)', async () => {
    const h = harness();
    const logged: string[] = [];
    const rules = new RuleFolder(h.system, folder, new RealClock('UTC'), {
      log: (message) => logged.push(message),
    });
    await rules.loadAll();
    await h.system.start();
    fs.writeFileSync(
      path.join(folder, 'later.ts'),
      GOOD.replace('PorchOnRule', 'LaterRule').replace(/export class KettleBeat[\s\S]*/, '')
    );
    fs.writeFileSync(path.join(folder, 'broken.ts'), BROKEN.replace('[;', '[];'));
    fs.unlinkSync(path.join(folder, 'throws.js'));
    const before = h.system.rules().map((r) => r.id);
    expect(before).not.toContain('later');
    rules.watch(100);
    try {
      await waitUntil(() => h.system.rule('later')?.status === 'ok', RELOADED);
      await waitUntil(() => h.system.rule('broken')?.status === 'ok', RELOADED);
      await waitUntil(() => !h.system.rule('throws'), RELOADED);
      // A file that did not change is not loaded again.
      expect(logged.filter((m) => m.startsWith('rule file porch.ts loaded'))).toHaveLength(1);
      expect(
        h.system
          .rules()
          .map((r) => r.id)
          .sort()
      ).toEqual([...before.filter((id) => id !== 'throws'), 'later'].sort());
    } finally {
      rules.close();
    }
  });

  it('picks up a new file within two seconds when watching', async () => {
    const h = harness();
    const rules = new RuleFolder(h.system, folder, new RealClock('UTC'));
    await rules.loadAll();
    await h.system.start();
    rules.watch(100);
    try {
      fs.writeFileSync(
        path.join(folder, 'later.ts'),
        GOOD.replace('PorchOnRule', 'LaterRule').replace(/export class KettleBeat[\s\S]*/, '')
      );
      const deadline = Date.now() + 2000;
      while (!h.system.rule('later') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(h.system.rule('later')?.status).toBe('ok');
      fs.unlinkSync(path.join(folder, 'later.ts'));
      const gone = Date.now() + 2000;
      while (h.system.rule('later') && Date.now() < gone)
        await new Promise((r) => setTimeout(r, 50));
      expect(h.system.rule('later')).toBeUndefined();
    } finally {
      rules.close();
    }
  });
});
