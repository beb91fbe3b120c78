/**
 * What `npm publish` uploads, installed into a new project as a user installs it
 * (`npm install --save-dev rule-things`): the command runs with `npx rule-things`, and
 * `import { Rule } from 'rule-things'` type-checks and runs. Offline: the project's lock gives
 * rule-things' dependencies exactly as package-lock.json has them, from npm's cache.
 */
import { execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  BUILD_HOOK_TIMEOUT_MS,
  PACKAGE_STEP_TIMEOUT_MS,
  npmTarball,
  packageJson,
  ROOT,
} from '../builds';

jest.setTimeout(PACKAGE_STEP_TIMEOUT_MS);

interface LockEntry {
  dev?: boolean;
  [field: string]: unknown;
}

let tarball: string;
let project: string;

/** package.json and package-lock.json of a project whose one devDependency is `tarball`. */
function writeUserProject(dir: string): void {
  const spec = `file:${tarball}`;
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const root = ours.packages[''];
  const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, LockEntry> = {
    '': { name: 'user-rules', version: '1.0.0', devDependencies: { 'rule-things': spec } },
    'node_modules/rule-things': {
      version: root.version,
      resolved: spec,
      integrity,
      dev: true,
      license: root.license,
      dependencies: root.dependencies,
      bin: root.bin,
      engines: root.engines,
    },
  };
  // Our production dependencies, where npm placed them for us, are where it places them for a user.
  for (const [where, entry] of Object.entries(ours.packages as Record<string, LockEntry>)) {
    if (where !== '' && !entry.dev) packages[where] = { ...entry, dev: true };
  }
  const manifest = { name: 'user-rules', version: '1.0.0', private: true };
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ ...manifest, devDependencies: { 'rule-things': spec } }, null, 2)
  );
  fs.writeFileSync(
    path.join(dir, 'package-lock.json'),
    JSON.stringify({ ...manifest, lockfileVersion: 3, requires: true, packages }, null, 2)
  );
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: project, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const failed = error as { stdout: string; stderr: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${failed.stdout}${failed.stderr}`);
  }
}

beforeAll(async () => {
  tarball = await npmTarball();
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-user-'));
  writeUserProject(project);
  run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund']);
}, BUILD_HOOK_TIMEOUT_MS);

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe('the npm package', () => {
  it('holds the built library with its declarations, the command and the examples', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const { version } = packageJson();
    expect(path.basename(tarball)).toBe(`rule-things-${version}.tgz`);
    for (const file of [
      'lib/api.js',
      'lib/api.d.ts',
      'lib/cli.js',
      'lib/index.js',
      'manifest.json',
    ]) {
      expect(files).toContain(`package/${file}`);
    }
    expect(files.filter((f) => f.startsWith('package/examples/')).length).toBeGreaterThan(0);
    // No source maps (they would point at sources not shipped), no TypeScript sources, tests or
    // benchmark: only the page under src/, which the add-on serves.
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^package\/(test|bench|scripts)\//.test(f))).toEqual([]);
    expect(
      files.filter((f) => f.startsWith('package/src/') && !f.startsWith('package/src/addon/page/'))
    ).toEqual([]);
  });

  it('runs its command with npx', () => {
    expect(run('npx', ['--offline', 'rule-things', '--help'])).toContain('Usage:\n  rule-things');
  });

  it("gives a user's rule the API at run time, without the gateway's own packages", () => {
    const script =
      "const { Rule, HeartBeat } = require('rule-things'); console.log(typeof Rule, typeof HeartBeat);";
    expect(run(process.execPath, ['-e', script]).trim()).toBe('function function');
  });

  it.each(['node10', 'node16'])(
    "type-checks a user's rule importing from 'rule-things', declarations included (module resolution %s)",
    (resolution) => {
      fs.writeFileSync(
        path.join(project, 'morning-wake.ts'),
        [
          "import { AbsoluteTimeTrigger, Rule } from 'rule-things';",
          '',
          'export default class MorningWake extends Rule {',
          "  alarm = this.setting('alarmTime', '06:30');",
          '  triggers() {',
          "    return [new AbsoluteTimeTrigger(this.alarm, { days: 'weekdays' })];",
          '  }',
          '  async action() {',
          "    this.log.info('good morning');",
          '  }',
          '}',
          '',
        ].join('\n')
      );
      const module = resolution === 'node16' ? 'node16' : 'commonjs';
      const tsc = path.join(project, 'node_modules/typescript/bin/tsc');
      // skipLibCheck off: rule-things' own declarations must check too, as in an editor set so.
      const options = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022'];
      run(process.execPath, [
        tsc,
        ...options,
        '--module',
        module,
        '--moduleResolution',
        resolution,
        'morning-wake.ts',
      ]);
    }
  );
});
