/**
 * `npm run addon-list-entry [-- --tarball FILE] [-- --out DIR]`, after ./package.sh: writes
 * `<id>.json`, this add-on's entry for WebThingsIO/addon-list's `addons/` folder, from manifest.json
 * and the tarball (default `<name>-<version>.tgz` here), then checks it as the list's checker
 * would. Writes nothing and exits 1 when the tarball's `.sha256sum` does not match the tarball
 * or a check fails.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { parseArgs } from 'util';
import { checkListEntry, sha256File } from './addonList/check';
import { AddonManifest, listEntry } from './addonList/entry';

const ROOT = path.resolve(__dirname, '..');

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function main(): void {
  const pkg = readJson<{ name: string; version: string }>(path.join(ROOT, 'package.json'));
  const manifest = readJson<AddonManifest>(path.join(ROOT, 'manifest.json'));
  const { values } = parseArgs({
    options: {
      tarball: { type: 'string', default: path.join(ROOT, `${pkg.name}-${pkg.version}.tgz`) },
      out: { type: 'string', default: ROOT },
    },
  });
  const tarball = path.resolve(values.tarball as string);
  const tarballName = path.basename(tarball);
  if (!fs.existsSync(tarball)) throw new Error(`${tarball} does not exist: run ./package.sh first`);

  const checksum = sha256File(tarball);
  const sumFile = `${tarball}.sha256sum`;
  const written = fs.existsSync(sumFile) ? fs.readFileSync(sumFile, 'utf8') : '(missing)';
  if (written !== `${checksum}  ${tarballName}\n`) {
    throw new Error(
      `${path.basename(sumFile)} does not match ${tarballName}: run ./package.sh again`
    );
  }

  const entryName = `${manifest.id}.json`;
  const draft = fs.mkdtempSync(path.join(os.tmpdir(), 'addon-list-entry-'));
  try {
    const draftFile = path.join(draft, entryName);
    fs.writeFileSync(
      draftFile,
      `${JSON.stringify(listEntry(manifest, tarballName, checksum), null, 2)}\n`
    );
    const problems = checkListEntry(draftFile, tarball);
    if (problems.length > 0) {
      throw new Error(`the add-on list would refuse ${entryName}:\n  ${problems.join('\n  ')}`);
    }
    const out = path.join(path.resolve(values.out as string), entryName);
    fs.copyFileSync(draftFile, out);
    console.log(`addon-list-entry: wrote ${out} (${tarballName}, sha256 ${checksum})`);
  } finally {
    fs.rmSync(draft, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`addon-list-entry: ${(error as Error).message}`);
  process.exit(1);
}
