/**
 * A gateway add-on from the shared source archives (virtual-things-adapter, thing-url-adapter),
 * its production dependencies installed and SHA256SUMS written, kept in the suite's cache so
 * only the first run pays for the npm install.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';

/** The folder of `name` ready to copy into a profile or pack; made once per archive version. */
export function preparedAddon(sources: string, cache: string, name: string): string {
  const archive = fs
    .readdirSync(path.join(sources, 'src'))
    .find((f) => f.startsWith(`${name}-`) && f.endsWith('.tar.gz'));
  const key = archive ? archive.replace(/\.tar\.gz$/, '') : name;
  const dir = path.join(cache, 'addons', key);
  if (fs.existsSync(path.join(dir, 'SHA256SUMS'))) return dir;
  const partial = `${dir}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  execFileSync('bash', [path.join(sources, 'gw.sh'), 'addon-src', name, partial], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  execFileSync('npm', ['install', '--omit=dev', '--no-package-lock', '--no-audit', '--no-fund'], {
    cwd: partial,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  execFileSync(
    'bash',
    [
      '-c',
      'find . -type f ! -name SHA256SUMS -print0 | LC_ALL=C sort -z | xargs -0 sha256sum > SHA256SUMS',
    ],
    { cwd: partial }
  );
  fs.renameSync(partial, dir);
  return dir;
}

/** `dir` packed as the add-on list serves add-ons: a .tgz whose files are under `package/`. */
export function packAddon(dir: string, outDir: string, name: string): string {
  const staging = fs.mkdtempSync(path.join(outDir, `${name}-`));
  fs.cpSync(dir, path.join(staging, 'package'), { recursive: true });
  const file = path.join(outDir, `${name}.tgz`);
  execFileSync('tar', ['-czf', file, '-C', staging, 'package']);
  fs.rmSync(staging, { recursive: true, force: true });
  return file;
}
