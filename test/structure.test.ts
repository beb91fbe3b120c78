/**
 * The folder boundaries the README's folder table promises, checked on the source: which folder
 * may import which. A newcomer can trust "the simulator does not depend on the engine" because
 * this fails the day it does.
 */
import fs from 'fs';
import path from 'path';

const SRC = path.join(__dirname, '..', 'src');

/** Every .ts file under src/, relative to it. */
function sourceFiles(): string[] {
  return fs
    .readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.split(path.sep).join('/'));
}

/** The src/ folders (or root files) that `file` imports from, by its relative import specifiers. */
function importedFolders(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']*)'/g)].map((m) => m[1]);
  return specifiers.map((spec) => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    return target.split('/')[0];
  });
}

function topFolder(file: string): string {
  return file.split('/')[0];
}

/** folder -> the folders of src/ it must not import. */
const FORBIDDEN: Record<string, string[]> = {
  protocol: [
    'engine',
    'triggers',
    'webthing',
    'simulator',
    'host',
    'addon',
    'standalone',
    'authoring',
  ],
  webthing: ['engine', 'triggers', 'simulator', 'host', 'addon', 'standalone', 'authoring'],
  simulator: ['engine', 'triggers', 'host', 'addon', 'standalone', 'authoring'],
  engine: ['webthing', 'simulator', 'host', 'addon', 'standalone'],
  host: ['addon', 'standalone'],
  standalone: ['addon'],
  clock: [
    'engine',
    'triggers',
    'webthing',
    'simulator',
    'host',
    'addon',
    'standalone',
    'authoring',
  ],
};

describe('folder boundaries', () => {
  const files = sourceFiles();

  it.each(Object.entries(FORBIDDEN))('src/%s imports none of %j', (folder, forbidden) => {
    const crossings = files
      .filter((f) => topFolder(f) === folder)
      .flatMap((f) =>
        importedFolders(f)
          .filter((to) => forbidden.includes(to))
          .map((to) => `${f} imports src/${to}`)
      );
    expect(crossings).toEqual([]);
  });

  it('sees the imports it checks (a file known to import the protocol module)', () => {
    expect(importedFolders('webthing/values.ts')).toContain('protocol');
  });
});
