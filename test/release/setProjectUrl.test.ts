/**
 * scripts/set-project-url.ts, which the release workflow runs with the repository it runs in:
 * manifest.json keeps the one project URL; package.json gets it for npm (provenance compares it).
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { ROOT } from '../builds';

let copy: string;

/** Runs the script on a copy of manifest.json and package.json. */
function setProjectUrl(url: string): { status: number; output: string } {
  try {
    const output = execFileSync(
      process.execPath,
      [
        '-r',
        require.resolve('sucrase/register'),
        path.join(copy, 'scripts/set-project-url.ts'),
        url,
      ],
      { cwd: copy, stdio: 'pipe', encoding: 'utf8' }
    );
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: failed.stdout + failed.stderr };
  }
}

const read = (file: string): string => fs.readFileSync(path.join(copy, file), 'utf8');

beforeEach(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'set-project-url-'));
  fs.mkdirSync(path.join(copy, 'scripts'));
  fs.copyFileSync(
    path.join(ROOT, 'scripts/set-project-url.ts'),
    path.join(copy, 'scripts/set-project-url.ts')
  );
  for (const file of ['manifest.json', 'package.json']) {
    fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
});

afterEach(() => fs.rmSync(copy, { recursive: true, force: true }));

describe('set-project-url', () => {
  it("sets manifest.json's homepage_url and package.json's homepage, repository and bugs", () => {
    const url = 'https://github.com/someone/rule-things';
    expect(setProjectUrl(url).status).toBe(0);
    const manifestBefore = fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8');
    const homepageLine = /"homepage_url": "[^"]*"/;
    // Only that line changes: the rest of the hand-formatted manifest stays as it is.
    expect(read('manifest.json')).toBe(
      manifestBefore.replace(homepageLine, `"homepage_url": "${url}"`)
    );
    const pkg = JSON.parse(read('package.json'));
    expect(pkg).toMatchObject({
      homepage: url,
      repository: { type: 'git', url: `git+${url}.git` },
      bugs: { url: `${url}/issues` },
    });
  });

  it.each(['', 'github.com/someone/rule-things', 'https://github.com/someone/rule-things/'])(
    'refuses %j and changes nothing',
    (url) => {
      const before = [read('manifest.json'), read('package.json')];
      const { status, output } = setProjectUrl(url);
      expect(status).toBe(1);
      expect(output).toContain("expected the repository's https URL");
      expect([read('manifest.json'), read('package.json')]).toEqual(before);
    }
  );
});
