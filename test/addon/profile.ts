/**
 * A throw-away gateway profile (WEBTHINGS_HOME) with the gateway's settings table, set up on
 * import: gateway-addon's Database reads WEBTHINGS_HOME when it is first loaded, so a test file
 * imports this before anything that loads gateway-addon.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';

export const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-addon-'));
export const dataDir = path.join(home, 'data');
export const dbFile = path.join(home, 'config', 'db.sqlite3');
fs.mkdirSync(path.dirname(dbFile), { recursive: true });
fs.mkdirSync(dataDir, { recursive: true });
process.env.WEBTHINGS_HOME = home;
delete process.env.WEBTHINGS_DATABASE;

// gateway-addon's own sqlite3 (native, a devDependency through it): the one the add-on reads with.
const gatewayAddonDir = path.dirname(require.resolve('gateway-addon/package.json'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sqlite3 = require(require.resolve('sqlite3', { paths: [gatewayAddonDir] }));

function run(sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(dbFile, (openError: Error | null) => {
      if (openError) return reject(openError);
      db.run(sql, params, (error: Error | null) => {
        db.close();
        if (error) reject(error);
        else resolve();
      });
    });
  });
}

/** Saves the add-on's config as the gateway's settings page does (key `addons.config.<id>`). */
export async function writeConfig(config: Record<string, unknown>): Promise<void> {
  // The table as the gateway's src/db.ts creates it.
  await run('CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT)');
  await run('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)', [
    'addons.config.rule-things',
    JSON.stringify(config),
  ]);
}

export function removeHome(): void {
  fs.rmSync(home, { recursive: true, force: true });
}
