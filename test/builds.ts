/**
 * The packages this project builds, each built at most once per jest run however many test files
 * need it: package.sh's add-on tarball and `npm pack`'s npm package. Both rebuild lib/ in the
 * repository, so they never run at the same time. test/globalSetup.ts names a folder for the run
 * in RULE_THINGS_BUILDS; the first test file to ask for a package builds it there and the others
 * wait for it (without that folder, as under another jest config, each process builds its own).
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { waitUntil } from './waitUntil';

export const ROOT = path.resolve(__dirname, '..');
/** For a test that runs npm, tsc or tar on a whole package (minutes on a busy 2-core machine). */
export const PACKAGE_STEP_TIMEOUT_MS = 180_000;
/** For a beforeAll that may wait for one build and then run another. */
export const BUILD_HOOK_TIMEOUT_MS = 600_000;
const BUILD_TIMEOUT_MS = 280_000;
const BUILD_WAIT = { timeoutMs: BUILD_HOOK_TIMEOUT_MS, pollMs: 250 };

export function packageJson(): { name: string; version: string } {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
}

export interface AddonTarball {
  /** `<name>-<version>.tgz`, with `<tarball>.sha256sum` beside it. */
  tarball: string;
  /** A folder holding only what the tarball unpacks to (package/). */
  unpacked: string;
}

/** `./package.sh`'s tarball (the one the gateway installs), unpacked. */
export async function addonTarball(): Promise<AddonTarball> {
  const { name, version } = packageJson();
  const tarballName = `${name}-${version}.tgz`;
  const out = await buildOnce('addon', (dir) => {
    execFileSync('bash', [path.join(ROOT, 'package.sh')], {
      cwd: ROOT,
      stdio: 'pipe',
      timeout: BUILD_TIMEOUT_MS,
    });
    for (const file of [tarballName, `${tarballName}.sha256sum`]) {
      fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    }
    fs.mkdirSync(path.join(dir, 'unpacked'));
    execFileSync('tar', ['-xzf', path.join(dir, tarballName), '-C', path.join(dir, 'unpacked')]);
  });
  return { tarball: path.join(out, tarballName), unpacked: path.join(out, 'unpacked') };
}

/** `npm pack`'s tarball (what `npm publish` uploads), built by the package's own prepare script. */
export async function npmTarball(): Promise<string> {
  const { name, version } = packageJson();
  const out = await buildOnce('npm', (dir) => {
    execFileSync('npm', ['pack', '--pack-destination', dir, '--no-audit', '--no-fund'], {
      cwd: ROOT,
      stdio: 'pipe',
      timeout: BUILD_TIMEOUT_MS,
    });
  });
  return path.join(out, `${name}-${version}.tgz`);
}

async function buildOnce(name: string, build: (dir: string) => void): Promise<string> {
  const root = buildsFolder();
  const dir = path.join(root, name);
  const done = `${dir}.done`;
  const failed = `${dir}.failed`;
  if (!claim(dir)) {
    await waitUntil(() => fs.existsSync(done) || fs.existsSync(failed), {
      ...BUILD_WAIT,
      what: `${name} build`,
    });
    if (fs.existsSync(failed)) {
      throw new Error(
        `building ${name} failed (in another test file): ${fs.readFileSync(failed, 'utf8')}`
      );
    }
    return dir;
  }
  const repositoryLock = path.join(root, 'repository.lock');
  await waitUntil(() => claim(repositoryLock), {
    ...BUILD_WAIT,
    what: 'the repository (another build)',
  });
  try {
    build(dir);
    fs.writeFileSync(done, '');
    return dir;
  } catch (error) {
    fs.writeFileSync(failed, (error as Error).message);
    throw error;
  } finally {
    fs.rmdirSync(repositoryLock);
  }
}

let processFolder: string | undefined;

function buildsFolder(): string {
  const shared = process.env.RULE_THINGS_BUILDS;
  if (shared) return shared;
  if (!processFolder) {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-builds-'));
    process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
    processFolder = folder;
  }
  return processFolder;
}

/** mkdir is atomic: exactly one process gets to create the folder. */
function claim(dir: string): boolean {
  try {
    fs.mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
