/**
 * The real-gateway harness: each test file runs its scenarios against a real WebThings Gateway
 * 2.1 with our add-on installed the way the add-on list installs it.
 *
 * ```ts
 * import { Gateway, scenario } from './harness';
 *
 * let gw: Gateway;
 * beforeAll(async () => (gw = await Gateway.start()), 240_000);
 * afterAll(() => gw?.stop());
 *
 * it('scenario 2: a rule file drives a virtual thing', async () => {
 *   fs.writeFileSync(path.join(gw.rulesDir, 'follow.ts'), source);
 *   await gw.setProperty('virtual-things-2', 'on', true);
 *   await waitFor(async () => (await gw.property('virtual-things-7', 'on')) === true, 2000, 'the plug');
 *   scenario('2', 'rule file drives a virtual thing', `${ms} ms`);
 * });
 * ```
 *
 * `Gateway.start(options)` makes a fresh profile in a temp folder, free ports (http, https, ipc:
 * in profile/config/local.json and NODE_CONFIG, which the add-on loader reads), starts
 * `node -r localhost-only.js build/app.js`, creates the user (`jwt`) and a local authorization
 * (`localToken`, the OAuth flow of Settings → Developer). By default it then enables the
 * virtual-things add-on and adds its 31 things (ids `virtual-things-0` …), installs our
 * package.sh tarball through `POST /addons {id, url, checksum}` from a file server on 127.0.0.1
 * (the loader's `npm link gateway-addon` finds gateway-addon in a global prefix, npm's registry
 * is a closed port), and configures it with `PUT /addons/rule-things/config`
 * (`defaultSettings()`: this gateway, the local token, Berlin). Options: `virtualThings: false`,
 * `ruleThings: false` (a bare gateway, e.g. to install yourself), `settings: {...}` (overrides).
 *
 * On a Gateway:
 * - `api(method, path, body?)` → `{status, body, text}` as the user (never throws on a status);
 *   `apiOk(method, path, body?)` → body, throws on non-2xx; `property(id, name)`,
 *   `setProperty(id, name, value)`, `things()`, `newThings()` (what "+" offers),
 *   `addNewThings(filter?)` (POST /things for each offered one, as the add dialog does),
 *   `waitForOffered(title)` (GET /new_things until it is there), `addThing(description)` → id,
 *   `idOf(title)`, `writeRule(fileName, source)` (into `rulesDir`).
 * - `socket(path = '/things')` → a ThingSocket: `messages`, `next(match, timeoutMs, from)`,
 *   `send(message)`, `close()`.
 * - `installAddon(id, file, checksum?)`, `installRuleThings(tarball?)`, `configureRuleThings(overrides)`,
 *   `enableAddon(id, enabled)`, `waitForAdapter(adapterId)`, `offer(file)` → URL.
 * - `restart()` (SIGINT as the service stops it, then start on the same profile and ports; waits
 *   for every enabled adapter), `halt()` / `resume()` (for an outage), `stop()` (always in afterAll).
 * - `log()`, `logMark()`, `logSince(mark)`: the gateway's stdout+stderr, add-ons' lines included.
 * - `profileDir`, `dataDir` (profile/data/rule-things), `rulesDir`, `addonDir`, `npmCache`
 *   (its `_logs` show any npm run by the loader), `base`, `ports`, `suite` (the built tarball:
 *   `suite.tarball.{file, checksum, version}`, `suite.runDir` for scratch files).
 *
 * Every process a Gateway starts is in one process group, killed at stop(), at process exit, and
 * by globalTeardown if a test process died. `buildTarball(workDir, outDir, version, edit?)` runs
 * package.sh in a copy of the repository, changed by `edit(copyDir)` if given (e.g. a newer
 * version with a changed ready rule for the update scenario).
 * `scenario(id, name, figure)` prints one line per scenario with its figure.
 * `preparedAddon(sources, cache, name)` and `packAddon(dir, outDir, name)` give another add-on of
 * the shared archives (e.g. thing-url-adapter) as a tarball for `installAddon`.
 */
export { Gateway, RULE_THINGS, thingId, VIRTUAL_THINGS } from './Gateway';
export type { ApiResponse, StartOptions, ThingDescription } from './Gateway';
export { ThingSocket } from './ThingSocket';
export type { ThingMessage } from './ThingSocket';
export { packAddon, preparedAddon } from './addonSource';
export { buildTarball, REPO_ROOT, sha256File } from './tarball';
export type { Tarball } from './tarball';
export { FOLLOW_SWITCH, WAKE_LIGHT } from './ruleFiles';
export { waitFor } from './waitFor';
export { scenario } from './report';
export { TrackedProcess } from './TrackedProcess';
