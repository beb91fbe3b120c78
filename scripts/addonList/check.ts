/**
 * The checks that WebThingsIO/addon-list's `tools/check-list.py` makes of a list entry and of the
 * tarball its url points at (the commit is in schema/README.md), made offline on a local tarball.
 * Each problem is one sentence naming the field or the file; no problem means that checker would
 * accept the entry. Two of its warnings are problems here: a binary that cannot run on the
 * package's architecture (for `any`: any binary), and a compressed file inside the package.
 * The checker's package.json checks apply only to entries with `api` (gateways before 0.10);
 * such an entry is refused here instead, as this add-on has no package.json `moziot` section.
 */
import Ajv from 'ajv';
import { execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  AddonManifest,
  authorName,
  DEFAULT_GATEWAY_MAX,
  DEFAULT_GATEWAY_MIN,
  ListEntry,
  ListPackage,
} from './entry';
import listSchema from './schema/list.json';
import manifestSchema from './schema/manifest.json';

const ajv = new Ajv({ allErrors: true });
const validateEntry = ajv.compile<ListEntry>(listSchema);
const validateManifest = ajv.compile<AddonManifest>(manifestSchema);

export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Problems with the entry in `entryFile` (named `<id>.json`), every package of it being `tarball`. */
export function checkListEntry(entryFile: string, tarball: string): string[] {
  const fileName = path.basename(entryFile);
  let entry: unknown;
  try {
    entry = JSON.parse(fs.readFileSync(entryFile, 'utf8'));
  } catch (error) {
    return [`Failed to read ${fileName}: ${(error as Error).message}`];
  }
  if (!validateEntry(entry)) {
    return [
      `${fileName} does not match the list's schema: ${ajv.errorsText(validateEntry.errors)}`,
    ];
  }
  const problems: string[] = [];
  const fileId = path.basename(entryFile, '.json');
  if (entry.id !== fileId) problems.push(`Filename ${fileId} does not match add-on ID ${entry.id}`);
  for (const pkg of entry.packages) problems.push(...checkPackage(entry, pkg, tarball));
  return problems;
}

function checkPackage(entry: ListEntry, pkg: ListPackage, tarball: string): string[] {
  const where = `"${entry.id}": ${pkg.architecture}`;
  if (pkg.api) {
    return [
      `api is set for ${where}: the checker would then require package.json's moziot section`,
    ];
  }
  if (sha256File(tarball) !== pkg.checksum) return [`Checksum invalid for ${where}`];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'addon-list-check-'));
  try {
    try {
      execFileSync('tar', ['-xzf', tarball, '-C', dir], { stdio: 'pipe' });
    } catch {
      return [`Failed to untar package for ${where}`];
    }
    return checkUnpacked(entry, pkg, path.join(dir, 'package'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `dir` is the tarball's `package/` folder. */
function checkUnpacked(entry: ListEntry, pkg: ListPackage, dir: string): string[] {
  const id = entry.id;
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) return [`manifest.json is missing for "${id}"`];
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    return [`Failed to read manifest.json for "${id}"`];
  }
  const problems: string[] = [];
  if (!fs.readdirSync(dir).some((f) => f.startsWith('LICENSE'))) {
    problems.push(`LICENSE not included in package "${id}"`);
  }
  if (!validateManifest(manifest)) {
    const errors = ajv.errorsText(validateManifest.errors, { dataVar: 'manifest' });
    return [...problems, `manifest.json does not match the list's manifest schema: ${errors}`];
  }
  return [...problems, ...checkFiles(entry, pkg, dir), ...checkManifest(manifest, entry, pkg, dir)];
}

/** SHA256SUMS lists every file, each sum matches, and no file is a binary or an archive. */
function checkFiles(entry: ListEntry, pkg: ListPackage, dir: string): string[] {
  const id = entry.id;
  const sumsFile = path.join(dir, 'SHA256SUMS');
  if (!fs.existsSync(sumsFile)) return [`SHA256SUMS file is missing from package "${id}"`];
  const problems: string[] = [];
  const sums = new Map<string, string>();
  const lines = fs.readFileSync(sumsFile, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const match = /^(\S+)\s+([\s\S]+)$/.exec(line.trim());
    if (!match) return [`Failed to read SHA256SUMS file for package "${id}": "${line}"`];
    const file = realPath(path.join(dir, match[2]));
    if (!fs.existsSync(file)) problems.push(`File "${match[2]}" missing for add-on "${id}"`);
    sums.set(file, match[1]);
  }
  const sumsPath = realPath(sumsFile);
  for (const file of filesUnder(dir)) {
    if (file === sumsPath) continue;
    const shown = path.relative(realPath(dir), file);
    const sum = sums.get(file);
    if (!fs.existsSync(file)) {
      problems.push(`Checksum failed in package "${id}": ${shown} cannot be read`);
      continue;
    }
    if (sum === undefined) problems.push(`Checksum missing for file "${shown}" in package "${id}"`);
    else if (sum !== sha256File(file))
      problems.push(`Checksum failed in package "${id}": ${shown}`);
    const kind = fileKind(file);
    if (kind === 'compressed') problems.push(`Compressed file found: ${shown}`);
    else if (kind && !runsOn(kind, pkg.architecture)) {
      problems.push(
        `Potentially unsupported binary file (${kind}) for ${pkg.architecture}: ${shown}`
      );
    }
  }
  return problems;
}

/** The fields manifest.json and the entry must agree on (verify_manifest_json). */
function checkManifest(
  manifest: AddonManifest,
  entry: ListEntry,
  pkg: ListPackage,
  dir: string
): string[] {
  const id = entry.id;
  const webthings = manifest.gateway_specific_settings.webthings;
  const problems: string[] = [];
  const mismatch = (what: string, fromManifest: unknown, fromEntry: unknown): void => {
    if (fromManifest !== fromEntry) {
      problems.push(
        `${what} mismatch for package "${id}": ${JSON.stringify(fromManifest)} in manifest.json, ` +
          `${JSON.stringify(fromEntry)} in ${id}.json`
      );
    }
  };
  if (webthings.enabled && entry.author !== 'WebThingsIO') {
    problems.push(`Add-on is enabled by default: ${id}`);
  }
  mismatch('ID', manifest.id, id);
  mismatch('Version', manifest.version, pkg.version);
  mismatch('Author', authorName(manifest.author), entry.author);
  mismatch('Name', manifest.name, entry.name);
  mismatch('Homepage', manifest.homepage_url, entry.homepage_url);
  mismatch('Type', webthings.primary_type, entry.primary_type);
  if (!webthings.exec && webthings.primary_type !== 'extension') {
    problems.push(`exec missing for package "${id}"`);
  }
  mismatch(
    'Minimum gateway version',
    webthings.strict_min_version ?? DEFAULT_GATEWAY_MIN,
    pkg.gateway.min
  );
  mismatch(
    'Maximum gateway version',
    webthings.strict_max_version ?? DEFAULT_GATEWAY_MAX,
    pkg.gateway.max
  );
  const optionsSchema = manifest.options?.schema;
  if (optionsSchema !== undefined && !ajv.validateSchema(optionsSchema as object)) {
    problems.push(`Invalid config schema for ${id}: ${ajv.errorsText(ajv.errors)}`);
  }
  if (
    manifest.default_locale &&
    !fs.existsSync(path.join(dir, '_locales', manifest.default_locale))
  ) {
    problems.push(`Default locale "${manifest.default_locale}" does not exist in package "${id}"`);
  }
  return problems;
}

type FileKind = 'ELF' | 'Mach-O' | 'compressed';

/** By magic number, as libmagic tells the checker; Java's 0xcafebabe is left out (not Mach-O). */
const SIGNATURES: Array<[FileKind, number, string]> = [
  ['ELF', 0, '7f454c46'],
  ['Mach-O', 0, 'feedface'],
  ['Mach-O', 0, 'feedfacf'],
  ['Mach-O', 0, 'cefaedfe'],
  ['Mach-O', 0, 'cffaedfe'],
  ['compressed', 0, '1f8b'], // gzip
  ['compressed', 0, '1f9d'], // compress
  ['compressed', 0, '425a68'], // bzip2
  ['compressed', 0, 'fd377a585a00'], // xz
  ['compressed', 0, '377abcaf271c'], // 7z
  ['compressed', 0, '28b52ffd'], // zstd
  ['compressed', 0, '04224d18'], // lz4
  ['compressed', 0, '4c5a4950'], // lzip
  ['compressed', 0, '504b0304'], // zip, jar
  ['compressed', 0, '52617221'], // rar
  ['compressed', 257, '7573746172'], // tar ("ustar")
];

function fileKind(file: string): FileKind | undefined {
  const head = Buffer.alloc(262);
  const fd = fs.openSync(file, 'r');
  let length: number;
  try {
    length = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const hex = head.subarray(0, length).toString('hex');
  return SIGNATURES.find(([, offset, magic]) => hex.startsWith(magic, offset * 2))?.[0];
}

function runsOn(kind: 'ELF' | 'Mach-O', architecture: string): boolean {
  const platform = architecture.split('-')[0];
  return (platform === 'linux' && kind === 'ELF') || (platform === 'darwin' && kind === 'Mach-O');
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** Every file below `dir` as os.walk lists them: symlinked folders are not entered. */
function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, dirent.name);
    if (dirent.isDirectory()) files.push(...filesUnder(full));
    else if (!(dirent.isSymbolicLink() && isDirectory(full))) files.push(realPath(full));
  }
  return files;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
