/**
 * package.sh makes the tarball the gateway installs: package/ with the add-on's files and its
 * production node_modules, every SHA256SUMS line verifying, no gateway-addon, no native code, and
 * nothing npm rewrites or fetches when the gateway's loader runs `npm link gateway-addon`.
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { addonTarball, BUILD_HOOK_TIMEOUT_MS } from '../builds';

let tarball: string;
let unpacked: string;

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f));
}

beforeAll(async () => {
  ({ tarball, unpacked } = await addonTarball());
}, BUILD_HOOK_TIMEOUT_MS);

describe('package.sh', () => {
  it('writes a tarball that unpacks into package/ with the add-on layout', () => {
    expect(fs.readdirSync(unpacked)).toEqual(['package']);
    const entries = fs.readdirSync(path.join(unpacked, 'package')).sort();
    expect(entries).toEqual(
      [
        'LICENSE',
        'README.md',
        'SHA256SUMS',
        'examples',
        'lib',
        'manifest.json',
        'node_modules',
        'package.json',
        'ready-rules',
        'src',
      ].sort()
    );
    expect(fs.existsSync(path.join(unpacked, 'package/lib/index.js'))).toBe(true);
    // The ready rules ride along as the readable files the add-on loads from its own folder.
    expect(fs.existsSync(path.join(unpacked, 'package/ready-rules/dusk-to-time.ts'))).toBe(true);
    expect(fs.existsSync(path.join(unpacked, 'package/node_modules/luxon/package.json'))).toBe(
      true
    );
  });

  it('ships the Rule Things page where manifest.json content_scripts point', () => {
    const dir = path.join(unpacked, 'package');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const files = manifest.content_scripts.flatMap((s: { css: string[]; js: string[] }) => [
      ...s.css,
      ...s.js,
    ]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(fs.existsSync(path.join(dir, file))).toBe(true);
    // Only the page: no TypeScript source rides along under src/.
    expect(filesUnder(path.join(dir, 'src')).filter((f) => f.endsWith('.ts'))).toEqual([]);
  });

  it('writes <tarball>.sha256sum that matches the tarball', () => {
    const line = fs.readFileSync(`${tarball}.sha256sum`, 'utf8');
    expect(line).toBe(`${sha256(tarball)}  ${path.basename(tarball)}\n`);
  });

  it('lists every shipped file in SHA256SUMS, and every line verifies', () => {
    const dir = path.join(unpacked, 'package');
    const lines = fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    const listed = new Set<string>();
    for (const line of lines) {
      const [hash, file] = [line.slice(0, 64), line.slice(64).trim().replace(/^\*/, '')];
      expect({ file, hash }).toEqual({ file, hash: sha256(path.join(dir, file)) });
      listed.add(path.normalize(file));
    }
    const shipped = filesUnder(dir)
      .filter((f) => fs.lstatSync(f).isFile())
      .map((f) => path.relative(dir, f))
      .filter((f) => f !== 'SHA256SUMS');
    expect(shipped.filter((f) => !listed.has(f))).toEqual([]);
  });

  it('leaves gateway-addon and native code out', () => {
    const files = filesUnder(path.join(unpacked, 'package'));
    expect(fs.existsSync(path.join(unpacked, 'package/node_modules/gateway-addon'))).toBe(false);
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([]);
  });

  it('ships the same version in manifest.json and package.json', () => {
    const dir = path.join(unpacked, 'package');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest.version).toBe(pkg.version);
    expect(pkg.main).toBe('lib/index.js');
  });

  it('lists no file that npm rewrites at the first start (its hidden lockfile)', () => {
    const dir = path.join(unpacked, 'package');
    expect(fs.existsSync(path.join(dir, 'node_modules/.package-lock.json'))).toBe(false);
    const sums = fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8');
    expect(sums).not.toContain('.package-lock.json');
  });

  it('ships a package.json without devDependencies or scripts, so npm fetches nothing', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package/package.json'), 'utf8'));
    expect(pkg.devDependencies).toBeUndefined();
    expect(pkg.scripts).toBeUndefined();
    expect(Object.keys(pkg.dependencies)).toContain('typescript');
  });

  it("ships no source maps and none of the dependencies' test folders or readmes", () => {
    const files = filesUnder(path.join(unpacked, 'package'));
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const modules = path.join(unpacked, 'package/node_modules');
    const extras = filesUnder(modules)
      .map((f) => path.relative(modules, f))
      .filter((f) => /(^|\/)(test|tests|__tests__|\.github)\/|(^|\/)README[^/]*$/i.test(f));
    expect(extras).toEqual([]);
  });
});
