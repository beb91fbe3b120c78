/** One folder per jest run for the packages test/builds.ts builds once (removed by globalTeardown). */
import fs from 'fs';
import os from 'os';
import path from 'path';

export default function globalSetup(): void {
  // Set before jest starts its workers, which inherit the environment.
  process.env.RULE_THINGS_BUILDS = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-builds-'));
}
