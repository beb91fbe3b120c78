/**
 * The add-on list entry (WebThingsIO/addon-list `addons/<id>.json`): scripts/addon-list-entry.ts
 * writes it from manifest.json and package.sh's tarball; the list's schema and every check of its
 * checker (scripts/addonList/check.ts, after tools/check-list.py) accept it. Then each check is
 * shown to fail, one at a time, on a small package that otherwise passes.
 */
import Ajv from 'ajv';
import { execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { checkListEntry } from '../../scripts/addonList/check';
import { AddonManifest, ListEntry, listEntry } from '../../scripts/addonList/entry';
import listSchema from '../../scripts/addonList/schema/list.json';
import manifestSchema from '../../scripts/addonList/schema/manifest.json';
import { addonTarball, BUILD_HOOK_TIMEOUT_MS, PACKAGE_STEP_TIMEOUT_MS, ROOT } from '../builds';

jest.setTimeout(PACKAGE_STEP_TIMEOUT_MS);

const manifest: AddonManifest = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8')
);
let work: string;

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Runs scripts/addon-list-entry.ts as `npm run addon-list-entry` does. */
function writeEntry(tarball: string, out: string): { status: number; output: string } {
  try {
    const output = execFileSync(
      process.execPath,
      ['-r', 'sucrase/register', 'scripts/addon-list-entry.ts', '--tarball', tarball, '--out', out],
      { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' }
    );
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: failed.stdout + failed.stderr };
  }
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'addon-list-test-'));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the add-on list entry for the released tarball', () => {
  let tarball: string;
  let entryFile: string;
  let entry: ListEntry;

  beforeAll(async () => {
    ({ tarball } = await addonTarball());
    const out = fs.mkdtempSync(path.join(work, 'entry-'));
    const { status, output } = writeEntry(tarball, out);
    if (status !== 0) throw new Error(output);
    entryFile = path.join(out, 'rule-things.json');
    entry = JSON.parse(fs.readFileSync(entryFile, 'utf8'));
  }, BUILD_HOOK_TIMEOUT_MS);

  it('uses copies of the list schemas that are valid draft-07 schemas, as the checker requires', () => {
    const ajv = new Ajv();
    expect(ajv.validateSchema(listSchema)).toBe(true);
    expect(ajv.validateSchema(manifestSchema)).toBe(true);
  });

  it('takes every field from manifest.json and the tarball, for any architecture', () => {
    const version = manifest.version;
    const webthings = manifest.gateway_specific_settings.webthings;
    expect(entry).toEqual({
      id: 'rule-things',
      name: manifest.name,
      description: manifest.description,
      author: manifest.author,
      homepage_url: manifest.homepage_url,
      license_url: `${manifest.homepage_url}/blob/v${version}/LICENSE`,
      primary_type: webthings.primary_type,
      packages: [
        {
          architecture: 'any',
          language: { name: 'nodejs', versions: ['any'] },
          version,
          url: `${manifest.homepage_url}/releases/download/v${version}/${path.basename(tarball)}`,
          checksum: sha256(tarball),
          gateway: { min: webthings.strict_min_version, max: webthings.strict_max_version },
        },
      ],
    });
  });

  it("matches the list's schema", () => {
    const validate = new Ajv({ allErrors: true }).compile(listSchema);
    expect(validate(entry) || validate.errors).toBe(true);
  });

  it("passes every check of the list's checker on the tarball", () => {
    expect(checkListEntry(entryFile, tarball)).toEqual([]);
  });

  it('is not written when the .sha256sum beside the tarball is not its own', () => {
    const dir = fs.mkdtempSync(path.join(work, 'stale-'));
    const copy = path.join(dir, path.basename(tarball));
    fs.copyFileSync(tarball, copy);
    fs.writeFileSync(`${copy}.sha256sum`, `${'0'.repeat(64)}  ${path.basename(tarball)}\n`);
    const { status, output } = writeEntry(copy, dir);
    expect(status).toBe(1);
    expect(output).toContain('.sha256sum does not match');
    expect(fs.existsSync(path.join(dir, 'rule-things.json'))).toBe(false);
  });
});

/** One change to a small package (this manifest, a LICENSE, one script) or to its entry. */
interface Variant {
  manifest?: (m: Record<string, unknown> & AddonManifest) => void;
  /** Files added before SHA256SUMS is written. */
  files?: Record<string, string | Buffer>;
  /** Runs in package/ after SHA256SUMS is written. */
  afterSums?: (dir: string) => void;
  entry?: (e: ListEntry & Record<string, unknown>) => void;
  entryName?: string;
  /** Written instead of the entry. */
  entryText?: string;
  notATarball?: boolean;
}

const ELF = Buffer.from('7f454c46020101000000000000000000', 'hex');
const MACH_O = Buffer.from('cffaedfe0c000001', 'hex');
const GZIP = Buffer.from('1f8b0800000000000003', 'hex');

/** Removes a file from package/ and from its SHA256SUMS. */
function unlist(dir: string, name: string): void {
  fs.rmSync(path.join(dir, name));
  const sums = fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').split('\n');
  const kept = sums.filter((line) => !line.endsWith(`  ./${name}`));
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), kept.join('\n'));
}

/** The checker's problems with the small package changed as `variant` says. */
function problemsWith(variant: Variant): string[] {
  const dir = fs.mkdtempSync(path.join(work, 'variant-'));
  const pkg = path.join(dir, 'package');
  const changed = structuredClone(manifest) as Record<string, unknown> & AddonManifest;
  variant.manifest?.(changed);
  const files: Record<string, string | Buffer> = {
    'manifest.json': JSON.stringify(changed, null, 2),
    LICENSE: 'Mozilla Public License Version 2.0\n',
    'lib/index.js': 'module.exports = () => {};\n',
    ...variant.files,
  };
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(pkg, name)), { recursive: true });
    fs.writeFileSync(path.join(pkg, name), content);
  }
  const sums = Object.keys(files)
    .sort()
    .map((name) => `${sha256(path.join(pkg, name))}  ./${name}\n`);
  fs.writeFileSync(path.join(pkg, 'SHA256SUMS'), sums.join(''));
  variant.afterSums?.(pkg);

  const tarball = path.join(dir, 'rule-things-0.1.0.tgz');
  if (variant.notATarball) fs.writeFileSync(tarball, 'not a tarball');
  else execFileSync('tar', ['-czf', tarball, '-C', dir, 'package']);
  const entry = listEntry(manifest, path.basename(tarball), sha256(tarball)) as ListEntry &
    Record<string, unknown>;
  variant.entry?.(entry);
  const entryFile = path.join(dir, variant.entryName ?? `${entry.id}.json`);
  fs.writeFileSync(entryFile, variant.entryText ?? JSON.stringify(entry));
  return checkListEntry(entryFile, tarball);
}

describe("the list checker's checks, each failing alone", () => {
  it('accepts the small package as it is', () => {
    expect(problemsWith({})).toEqual([]);
  });

  it('accepts an author with an e-mail address, as the list compares the name only', () => {
    expect(problemsWith({ manifest: (m) => (m.author += ' <rules@example.com>') })).toEqual([]);
  });

  const cases: Array<[string, Variant, string]> = [
    ['an entry file that is not JSON', { entryText: '{"id": "rule-things",' }, 'Failed to read'],
    ['an entry file not named after its id', { entryName: 'other.json' }, 'Filename other'],
    [
      'an entry without license_url',
      { entry: (e) => delete (e as Partial<ListEntry>).license_url },
      "required property 'license_url'",
    ],
    [
      'a homepage_url under 11 characters',
      { entry: (e) => (e.homepage_url = 'http://x') },
      'homepage_url should NOT have fewer than 11 characters',
    ],
    [
      'a package with api levels (gateways before 0.10)',
      { entry: (e) => (e.packages[0].api = { min: 2, max: 2 }) },
      'api is set',
    ],
    [
      'a checksum that is not the tarball’s',
      { entry: (e) => (e.packages[0].checksum = '0'.repeat(64)) },
      'Checksum invalid',
    ],
    ['a file that is not a tarball', { notATarball: true }, 'Failed to untar'],
    [
      'no manifest.json',
      { afterSums: (dir) => fs.rmSync(path.join(dir, 'manifest.json')) },
      'manifest.json is missing',
    ],
    [
      'a manifest.json that is not JSON',
      { files: { 'manifest.json': '{ "id": ' } },
      'Failed to read manifest.json',
    ],
    ['no LICENSE', { afterSums: (dir) => unlist(dir, 'LICENSE') }, 'LICENSE not included'],
    [
      'a manifest field the list does not know (license_url belongs in the entry only)',
      { manifest: (m) => (m.license_url = 'https://example.com/LICENSE') },
      "manifest.json does not match the list's manifest schema",
    ],
    [
      'no SHA256SUMS',
      { afterSums: (dir) => fs.rmSync(path.join(dir, 'SHA256SUMS')) },
      'SHA256SUMS file is missing',
    ],
    [
      'a SHA256SUMS line naming no file',
      {
        afterSums: (dir) => fs.appendFileSync(path.join(dir, 'SHA256SUMS'), `${'a'.repeat(64)}\n`),
      },
      'Failed to read SHA256SUMS',
    ],
    [
      'a file in SHA256SUMS that is not shipped',
      { afterSums: (dir) => fs.rmSync(path.join(dir, 'lib/index.js')) },
      'File "./lib/index.js" missing',
    ],
    [
      'a shipped file not in SHA256SUMS',
      { afterSums: (dir) => fs.writeFileSync(path.join(dir, 'lib/extra.js'), '1;\n') },
      'Checksum missing for file "lib/extra.js"',
    ],
    [
      'a file changed after SHA256SUMS was written',
      { afterSums: (dir) => fs.appendFileSync(path.join(dir, 'lib/index.js'), '// changed\n') },
      'Checksum failed in package "rule-things": lib/index.js',
    ],
    [
      'a Linux binary in a package for any architecture',
      { files: { 'lib/addon.node': ELF } },
      'unsupported binary file (ELF) for any: lib/addon.node',
    ],
    [
      'a macOS binary in a package for any architecture',
      { files: { 'bin/tool': MACH_O } },
      'unsupported binary file (Mach-O) for any: bin/tool',
    ],
    [
      'a compressed file',
      { files: { 'data/zones.gz': GZIP } },
      'Compressed file found: data/zones.gz',
    ],
    [
      'an add-on enabled by default',
      { manifest: (m) => (m.gateway_specific_settings.webthings.enabled = true) },
      'Add-on is enabled by default',
    ],
    [
      'an entry id other than the manifest id',
      { entry: (e) => (e.id = 'other-addon') },
      'ID mismatch for package "other-addon": "rule-things" in manifest.json',
    ],
    [
      'another version',
      { manifest: (m) => (m.version = '9.9.9') },
      'Version mismatch for package "rule-things": "9.9.9"',
    ],
    ['another author', { manifest: (m) => (m.author = 'Somebody') }, 'Author mismatch'],
    ['another name', { entry: (e) => (e.name = 'Rules') }, 'Name mismatch'],
    [
      'another homepage',
      { manifest: (m) => (m.homepage_url = 'https://example.com/fork') },
      'Homepage mismatch',
    ],
    [
      'another primary type',
      { manifest: (m) => (m.gateway_specific_settings.webthings.primary_type = 'extension') },
      'Type mismatch',
    ],
    [
      'an adapter without exec',
      { manifest: (m) => delete m.gateway_specific_settings.webthings.exec },
      'exec missing',
    ],
    [
      'another minimum gateway version',
      { entry: (e) => (e.packages[0].gateway.min = '1.0.0') },
      'Minimum gateway version mismatch',
    ],
    [
      'a minimum left to the default 0.10.0 in the manifest only',
      { manifest: (m) => delete m.gateway_specific_settings.webthings.strict_min_version },
      'Minimum gateway version mismatch for package "rule-things": "0.10.0" in manifest.json',
    ],
    [
      'another maximum gateway version',
      { entry: (e) => (e.packages[0].gateway.max = '2.1.0') },
      'Maximum gateway version mismatch',
    ],
    [
      'a settings schema that is not a JSON schema',
      { manifest: (m) => (m.options = { schema: { type: 'settings' } }) },
      'Invalid config schema',
    ],
    [
      'a default locale without its folder',
      { manifest: (m) => (m.default_locale = 'de') },
      'Default locale "de" does not exist',
    ],
  ];

  it.each(cases)('refuses %s', (_what, variant, problem) => {
    expect(problemsWith(variant)).toEqual([expect.stringContaining(problem)]);
  });
});
