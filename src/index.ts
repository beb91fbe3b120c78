/**
 * The add-on's entry point: the gateway's addon-loader requires this package and calls its
 * default export with `(addonManager, manifest, errorCallback)`.
 */
import path from 'path';
import type { AddonManagerProxy } from 'gateway-addon';
import { ADDON_ID, RuleThingsAddon, RuleThingsAddonOptions } from './addon/RuleThingsAddon';
import { engineWorkerEntry } from './host/engineWorkerEntry';

/** Tells the gateway the add-on cannot run; the gateway then unloads it and does not restart it. */
export type ErrorCallback = (packageName: string, error: unknown) => void;

export type AddonMain = (
  addonManager: AddonManagerProxy,
  manifest: unknown,
  errorCallback: ErrorCallback
) => RuleThingsAddon;

/** lib/index.js (and src/index.ts) sit one level below the package root. */
const PACKAGE_ROOT = path.resolve(__dirname, '..');

/**
 * The function the gateway calls, with the parts tests replace (the engine script, the clock).
 * The manifest argument is ignored: in gateway 2.x it only has deprecated getters, and the id is
 * fixed by manifest.json.
 */
export function createMain(
  overrides: Partial<Omit<RuleThingsAddonOptions, 'manager'>> = {}
): AddonMain {
  const entry = engineWorkerEntry();
  return (addonManager, _manifest, errorCallback) => {
    const addon = new RuleThingsAddon({
      manager: addonManager,
      packageRoot: PACKAGE_ROOT,
      engineScript: entry.script,
      ...overrides,
      engine: { execArgv: entry.execArgv, ...overrides.engine },
    });
    addon.start().catch((error: unknown) => {
      errorCallback(ADDON_ID, error instanceof Error ? error.message : String(error));
    });
    return addon;
  };
}

export default createMain();
