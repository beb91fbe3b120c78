/** What globalSetup prepared once for the whole suite run, handed to every test file. */
import type { Tarball } from './tarball';

export interface SuiteState {
  /** The shared folder with gw.sh and the source archives (../shared/gateway). */
  sources: string;
  /** The built gateway (build/app.js), outside the repository. */
  gatewayDir: string;
  /** The virtual-things add-on, its dependencies installed and SHA256SUMS written. */
  virtualThingsDir: string;
  /** package.sh's tarball of this working tree. */
  tarball: Tarball;
  /** A folder for this run's files (removed by globalTeardown). */
  runDir: string;
}

export const SUITE_ENV = 'RULE_THINGS_GW_SUITE';

export function suiteState(): SuiteState {
  const raw = process.env[SUITE_ENV];
  if (!raw) throw new Error(`${SUITE_ENV} is not set: run the suite with npm run test:gateway`);
  return JSON.parse(raw) as SuiteState;
}
