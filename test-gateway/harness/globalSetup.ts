/**
 * Once per suite run: makes sure the gateway is built (outside the repository, in
 * RULE_THINGS_GW_CACHE, default ~/.cache/rule-things-gw; the first build takes minutes, later
 * runs reuse it), prepares the virtual-things add-on, and builds our tarball with package.sh.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Config } from '@jest/types';
import { preparedAddon } from './addonSource';
import { SUITE_ENV, SuiteState } from './suite';
import { buildTarball, existingTarball } from './tarball';

function say(line: string): void {
  process.stdout.write(`test:gateway: ${line}\n`);
}

function ensureGatewayBuilt(sources: string, cache: string): string {
  const gatewayDir = path.join(cache, 'gateway');
  if (fs.existsSync(path.join(gatewayDir, 'build', 'app.js'))) return gatewayDir;
  if (fs.existsSync(gatewayDir)) {
    throw new Error(
      `${gatewayDir} has no build/app.js: a build is still running there, or one failed (remove the folder to rebuild)`
    );
  }
  say(`building the gateway into ${gatewayDir} (once; about 4 minutes)`);
  fs.mkdirSync(cache, { recursive: true });
  execFileSync('bash', [path.join(sources, 'gw.sh'), 'setup'], {
    env: { ...process.env, GW_ROOT: cache },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return gatewayDir;
}

export default async function globalSetup(
  _global: Config.GlobalConfig,
  project: Config.ProjectConfig
): Promise<void> {
  const sources = project.globals.ruleThingsGatewaySources as string;
  const cache = path.resolve(
    process.env.RULE_THINGS_GW_CACHE || path.join(os.homedir(), '.cache', 'rule-things-gw')
  );
  const gatewayDir = ensureGatewayBuilt(sources, cache);
  const virtualThingsDir = preparedAddon(sources, cache, 'virtual-things-adapter');
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-gw-suite-'));
  const started = Date.now();
  // RULE_THINGS_GW_TARBALL: a tarball package.sh already wrote, to skip the build while iterating.
  const prebuilt = process.env.RULE_THINGS_GW_TARBALL;
  const tarball = prebuilt ? existingTarball(prebuilt) : await buildTarball(runDir, runDir);
  say(
    `gateway ${gatewayDir}; ${path.basename(tarball.file)} ${prebuilt ? 'given' : `built in ${((Date.now() - started) / 1000).toFixed(0)} s`}`
  );
  const state: SuiteState = { sources, gatewayDir, virtualThingsDir, tarball, runDir };
  process.env[SUITE_ENV] = JSON.stringify(state);
}
