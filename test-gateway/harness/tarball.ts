/**
 * Builds the add-on tarball with the project's own package.sh, in a copy of the repository so the
 * working tree is left alone; the update scenario builds a second one with another version.
 */
import { execFile, execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { promisify } from 'util';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface Tarball {
  file: string;
  /** SHA-256 of the tarball, as the add-on list gives it to POST /addons. */
  checksum: string;
  version: string;
}

// Left out of the copy: built or installed things (node_modules is linked instead) and the
// suite's own tarballs.
const NOT_COPIED = new Set(['.git', 'node_modules', 'lib', 'coverage', 'package', '.rule-things']);

export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Runs package.sh in a copy of the repository under `workDir` and moves the tarball into
 * `outDir`. `version` replaces the version in package.json, package-lock.json and manifest.json;
 * `edit` may change the copy first (a newer version's ready rule). Asynchronous: a running
 * gateway writes its log into a pipe this process must keep reading.
 */
export async function buildTarball(
  workDir: string,
  outDir: string,
  version?: string,
  edit?: (copy: string) => void
): Promise<Tarball> {
  const copy = path.join(workDir, 'repo');
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(REPO_ROOT, copy, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(REPO_ROOT, src);
      return !NOT_COPIED.has(rel) && !/\.(tgz|sha256sum)$/.test(rel);
    },
  });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  if (version) setVersion(copy, version);
  edit?.(copy);
  const { stdout: out } = await promisify(execFile)('bash', [path.join(copy, 'package.sh')], {
    cwd: copy,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const name = /wrote (\S+\.tgz)/.exec(out)?.[1];
  if (!name) throw new Error(`package.sh did not say which tarball it wrote:\n${out}`);
  const file = path.join(outDir, name);
  fs.renameSync(path.join(copy, name), file);
  fs.rmSync(copy, { recursive: true, force: true });
  const shipped = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  return { file, checksum: sha256File(file), version: version ?? shipped.version };
}

/** A tarball package.sh wrote earlier (its version read from inside it). */
export function existingTarball(file: string): Tarball {
  const pkg = execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' });
  return { file: path.resolve(file), checksum: sha256File(file), version: JSON.parse(pkg).version };
}

function setVersion(dir: string, version: string): void {
  for (const name of ['package.json', 'manifest.json', 'package-lock.json']) {
    const file = path.join(dir, name);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.version = version;
    if (name === 'package-lock.json') json.packages[''].version = version;
    fs.writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  }
}
