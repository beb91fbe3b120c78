/**
 * The add-on's entry point: the gateway's addon-loader requires this package and calls its
 * default export with `(addonManager, manifest, errorCallback)`.
 */
import path from 'path';
import type { AddonManagerProxy } from 'gateway-addon';
import { ADDON_ID, RuleThingsAddon, RuleThingsAddonOptions } from './addon/RuleThingsAddon';

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
 * The engine worker's entry script.
 * LEAD: the real worker plugs in here: src/engine/worker.ts, compiled to lib/engine/worker.js,
 * must speak src/engine/messages.ts and read `workerData` as EngineWorkerData
 * (src/addon/EngineHost.ts). Tests pass their own script through `createMain`.
 */
export const ENGINE_WORKER = path.join(__dirname, 'engine', 'worker.js');

/**
 * The function the gateway calls, with the parts tests replace (the engine script, the clock).
 * The manifest argument is ignored: in gateway 2.x it only has deprecated getters, and the id is
 * fixed by manifest.json.
 */
export function createMain(
  overrides: Partial<Omit<RuleThingsAddonOptions, 'manager'>> = {}
): AddonMain {
  return (addonManager, _manifest, errorCallback) => {
    const addon = new RuleThingsAddon({
      manager: addonManager,
      packageRoot: PACKAGE_ROOT,
      engineScript: ENGINE_WORKER,
      ...overrides,
    });
    addon.start().catch((error: unknown) => {
      errorCallback(ADDON_ID, error instanceof Error ? error.message : String(error));
    });
    return addon;
  };
}

export default createMain();
