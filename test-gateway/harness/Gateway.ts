/**
 * One real WebThings Gateway for a test file: its own profile in a temp folder, its own free
 * ports, started as `node -r localhost-only.js build/app.js`. See index.ts for the API.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import http from 'http';
import net from 'net';
import path from 'path';
import { groupAlive, trackGroup, untrackGroup } from './processes';
import { request } from './request';
import { suiteState, SuiteState } from './suite';
import { sha256File, Tarball } from './tarball';
import { ThingSocket } from './ThingSocket';
import { waitFor } from './waitFor';

export const RULE_THINGS = 'rule-things';
export const VIRTUAL_THINGS = 'virtual-things-adapter';
export const EMAIL = 'admin@example.com';
export const PASSWORD = 'webthings-admin';

export interface ApiResponse<T = unknown> {
  status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: T;
  text: string;
}

export interface ThingDescription {
  id: string;
  href?: string;
  title: string;
  '@type'?: string[];
  properties?: Record<string, { type?: string; readOnly?: boolean; value?: unknown }>;
  events?: Record<string, unknown>;
  selectedCapability?: string;
}

export interface StartOptions {
  /** Enable the virtual-things add-on and add all its things (default true). */
  virtualThings?: boolean;
  /** Install our tarball through POST /addons and configure it (default true). */
  ruleThings?: boolean;
  /** Extra add-on settings for PUT /addons/rule-things/config. */
  settings?: Record<string, unknown>;
}

/** A thing's short id (`virtual-things-0`): the gateway's descriptions carry a URL in `id`. */
export function thingId(thing: ThingDescription): string {
  return (thing.href ?? thing.id).split('/').pop()!;
}

interface Ports {
  http: number;
  https: number;
  ipc: number;
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        })
    )
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** The process environment for the gateway: none of jest's or npm's settings leak into it. */
function gatewayEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // NODE_ENV=test (jest's) would make the gateway skip SHA256SUMS checks and the npm link.
    if (key === 'NODE_ENV' || /^(npm_|jest)/i.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export class Gateway {
  readonly suite: SuiteState;
  /** This gateway's folder: profile/, npm-global/, npm-cache/, gateway.log. */
  readonly root: string;
  readonly profileDir: string;
  /** The global npm prefix the add-on loader's `npm link gateway-addon` uses. */
  readonly npmPrefix: string;
  /** npm's cache for anything the gateway runs; its _logs show any registry use. */
  readonly npmCache: string;
  readonly base: string;
  jwt = '';
  /** The local authorization (Settings → Developer), as the user pastes it into our settings. */
  localToken = '';
  /** Port of a closed socket: npm's registry for the gateway, so any registry use fails loudly. */
  private readonly deadRegistry: number;
  private child?: ChildProcess;
  private exited = true;
  private logText = '';
  private readonly logFile: string;
  private fileServer?: http.Server;
  // URL path -> file served to the gateway (tarballs for POST /addons)
  private readonly served = new Map<string, string>();

  private constructor(
    root: string,
    readonly ports: Ports,
    deadRegistry: number
  ) {
    this.suite = suiteState();
    this.root = root;
    this.profileDir = path.join(root, 'profile');
    this.npmPrefix = path.join(root, 'npm-global');
    this.npmCache = path.join(root, 'npm-cache');
    this.logFile = path.join(root, 'gateway.log');
    this.base = `http://127.0.0.1:${ports.http}`;
    this.deadRegistry = deadRegistry;
  }

  /** A fresh profile with a user and a local token; options say what else to set up. */
  static async start(options: StartOptions = {}): Promise<Gateway> {
    const suite = suiteState();
    const root = fs.mkdtempSync(path.join(suite.runDir, 'gw-'));
    const [httpPort, httpsPort, ipcPort, deadRegistry] = await freePorts(4);
    const gateway = new Gateway(
      root,
      { http: httpPort, https: httpsPort, ipc: ipcPort },
      deadRegistry
    );
    gateway.writeProfile();
    try {
      await gateway.launch();
      await gateway.createUser();
      if (options.virtualThings !== false) {
        await gateway.enableAddon(VIRTUAL_THINGS);
        await gateway.waitForAdapter('virtual-things');
        await gateway.addNewThings((t) => thingId(t).startsWith('virtual-things-'));
      }
      if (options.ruleThings !== false) {
        const installed = await gateway.installRuleThings();
        if (installed.status !== 200) {
          throw new Error(`POST /addons answered ${installed.status}: ${installed.text}`);
        }
        await gateway.configureRuleThings(options.settings);
      }
    } catch (e) {
      await gateway.stop();
      throw new Error(`${(e as Error).message}\n--- gateway log (tail) ---\n${gateway.logTail()}`);
    }
    return gateway;
  }

  /** The gateway's own config (profile/config/local.json), the virtual-things add-on and a global gateway-addon. */
  private writeProfile(): void {
    fs.mkdirSync(path.join(this.profileDir, 'config'), { recursive: true });
    fs.writeFileSync(
      path.join(this.profileDir, 'config', 'local.json'),
      JSON.stringify({
        ports: this.ports,
        addonManager: { listUrls: [] },
        updates: { url: 'http://127.0.0.1:9/releases' },
        ssltunnel: { enabled: false },
      })
    );
    const vta = path.join(this.profileDir, 'addons', VIRTUAL_THINGS);
    fs.cpSync(this.suite.virtualThingsDir, vta, { recursive: true });
    // As gw.sh does: the virtual-things add-on is not under test, so its loader finds gateway-addon.
    fs.symlinkSync(
      path.join(this.suite.gatewayDir, 'node_modules', 'gateway-addon'),
      path.join(vta, 'node_modules', 'gateway-addon')
    );
    // As on a gateway image: gateway-addon installed globally, where `npm link gateway-addon` looks.
    const globalModules = path.join(this.npmPrefix, 'lib', 'node_modules');
    fs.mkdirSync(globalModules, { recursive: true });
    fs.symlinkSync(
      path.join(this.suite.gatewayDir, 'node_modules', 'gateway-addon'),
      path.join(globalModules, 'gateway-addon')
    );
  }

  private async launch(): Promise<void> {
    const ports = JSON.stringify({ ports: this.ports });
    const child = spawn(
      process.execPath,
      ['-r', path.join(__dirname, 'localhost-only.js'), 'build/app.js'],
      {
        cwd: this.suite.gatewayDir,
        detached: true, // its own process group, with the add-on processes it starts
        stdio: ['ignore', 'pipe', 'pipe'],
        env: gatewayEnv({
          WEBTHINGS_HOME: this.profileDir,
          // The add-on loader reads the gateway's config files and this, not the profile's local.json.
          NODE_CONFIG: ports,
          NPM_CONFIG_PREFIX: this.npmPrefix,
          NPM_CONFIG_CACHE: this.npmCache,
          NPM_CONFIG_REGISTRY: `http://127.0.0.1:${this.deadRegistry}/`,
          NPM_CONFIG_FETCH_RETRIES: '0',
          NPM_CONFIG_UPDATE_NOTIFIER: 'false',
        }),
      }
    );
    this.child = child;
    this.exited = false;
    trackGroup(this.suite.runDir, child.pid!);
    const append = (chunk: Buffer) => {
      this.logText += chunk.toString();
      fs.appendFileSync(this.logFile, chunk);
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    child.on('exit', () => (this.exited = true));
    await waitFor(
      async () => {
        if (this.exited) throw new Error('the gateway exited during start-up');
        const res = await request('GET', `${this.base}/users/count`, {
          Accept: 'application/json',
        });
        return res.status === 200;
      },
      60_000,
      `the gateway to answer on ${this.base}`,
      200
    );
    if (this.jwt) await this.waitForEnabledAdapters();
  }

  private async createUser(): Promise<void> {
    const created = await this.api<{ jwt: string }>('POST', '/users', {
      email: EMAIL,
      password: PASSWORD,
      name: 'Admin',
    });
    if (created.status !== 200) throw new Error(`POST /users: ${created.status} ${created.text}`);
    this.jwt = created.body.jwt;
    this.localToken = await this.createLocalToken();
  }

  /** The OAuth flow of Settings → Developer → Create local authorization. */
  async createLocalToken(): Promise<string> {
    const redirect = 'https://gateway.localhost/oauth/local-token-service';
    const allow = await request(
      'GET',
      `${this.base}/oauth/allow?response_type=code&client_id=local-token&scope=/things:readwrite&state=x&redirect_uri=${encodeURIComponent(redirect)}`,
      { Authorization: `Bearer ${this.jwt}` }
    );
    const location = String(allow.headers.location ?? '');
    const code = new URL(location, this.base).searchParams.get('code');
    if (!code) throw new Error(`GET /oauth/allow gave no code (${allow.status})`);
    const res = await request(
      'POST',
      `${this.base}/oauth/token`,
      {
        Authorization: `Basic ${Buffer.from('local-token:super secret').toString('base64')}`,
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirect,
        client_id: 'local-token',
      }).toString()
    );
    const body = JSON.parse(res.text) as { access_token?: string };
    if (!body.access_token) throw new Error(`POST /oauth/token: ${res.status}`);
    return body.access_token;
  }

  /** A REST call as the logged-in user (JSON in and out); never throws on an HTTP status. */
  async api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.jwt) headers.Authorization = `Bearer ${this.jwt}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const { status, text } = await request(
      method,
      `${this.base}${urlPath}`,
      headers,
      body === undefined ? undefined : JSON.stringify(body)
    );
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status, body: parsed as T, text };
  }

  /** Like api(), but a status other than 2xx throws with the gateway's answer. */
  async apiOk<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
    const res = await this.api<T>(method, urlPath, body);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} ${urlPath} answered ${res.status}: ${res.text}`);
    }
    return res.body;
  }

  /** A WebSocket on `/things` (all things) or `/things/<id>`, as the user. */
  socket(urlPath = '/things'): Promise<ThingSocket> {
    return ThingSocket.open(`ws://127.0.0.1:${this.ports.http}${urlPath}`, this.jwt);
  }

  /** A property's value (GET /things/<id>/properties/<name>). */
  property(thingId: string, name: string): Promise<unknown> {
    return this.apiOk('GET', `/things/${thingId}/properties/${name}`);
  }

  async setProperty(thingId: string, name: string, value: unknown): Promise<void> {
    await this.apiOk('PUT', `/things/${thingId}/properties/${name}`, value);
  }

  /** What "+" on the Things page offers (after POST /actions/pair, as the UI does). */
  async newThings(): Promise<ThingDescription[]> {
    const action = await this.apiOk<{ href: string }>('POST', '/actions/pair', { timeout: 5 });
    try {
      return await this.apiOk<ThingDescription[]>('GET', '/new_things');
    } finally {
      await this.api('DELETE', action.href);
    }
  }

  /** Adds every offered thing that `accept` takes (POST /things), as the UI's add dialog does. */
  async addNewThings(accept: (t: ThingDescription) => boolean = () => true): Promise<string[]> {
    const added: string[] = [];
    for (const thing of await this.newThings()) {
      if (accept(thing)) added.push(await this.addThing(thing));
    }
    return added;
  }

  /** Waits until a thing titled `title` is offered (GET /new_things, as the add dialog lists them). */
  async waitForOffered(title: string, timeoutMs = 20_000): Promise<ThingDescription> {
    try {
      return await waitFor(
        async () =>
          (await this.apiOk<ThingDescription[]>('GET', '/new_things')).find(
            (t) => t.title === title
          ),
        timeoutMs,
        `"${title}" offered under "+"`,
        100
      );
    } catch (e) {
      // In CI the gateway's log is the only witness of why the add-on did not offer it.
      throw new Error(`${(e as Error).message}\n--- gateway log (tail) ---\n${this.logTail()}`);
    }
  }

  /** Adds an offered thing (POST /things), as the add dialog's Save does; gives its id. */
  async addThing(thing: ThingDescription): Promise<string> {
    await this.apiOk('POST', '/things', {
      ...thing,
      selectedCapability: thing['@type']?.[0] ?? 'Custom',
    });
    return thingId(thing);
  }

  /** The id of the added thing titled `title`. */
  async idOf(title: string): Promise<string> {
    const thing = (await this.things()).find((t) => t.title === title);
    if (!thing) throw new Error(`no thing titled "${title}" in GET /things`);
    return thingId(thing);
  }

  /** Writes a rule file into the rules folder, as a user saving it in an editor. */
  writeRule(fileName: string, source: string): string {
    const file = path.join(this.rulesDir, fileName);
    fs.writeFileSync(file, source);
    return file;
  }

  async things(): Promise<ThingDescription[]> {
    return this.apiOk<ThingDescription[]>('GET', '/things');
  }

  /** Serves `file` on 127.0.0.1 (as the add-on list's server would) and gives its URL. */
  async offer(file: string): Promise<string> {
    if (!this.fileServer) {
      const server = http.createServer((req, res) => {
        const served = this.served.get(req.url ?? '');
        if (!served || !fs.existsSync(served)) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/gzip' });
        fs.createReadStream(served).pipe(res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.fileServer = server;
    }
    const urlPath = `/${this.served.size}/${path.basename(file)}`;
    this.served.set(urlPath, file);
    return `http://127.0.0.1:${(this.fileServer.address() as net.AddressInfo).port}${urlPath}`;
  }

  /**
   * Installs a tarball the way the add-on list does: POST /addons {id, url, checksum}. Gives the
   * gateway's answer (200 with the add-on's settings, or 400 with its message).
   */
  async installAddon(id: string, file: string, checksum = sha256File(file)): Promise<ApiResponse> {
    return this.api('POST', '/addons', { id, url: await this.offer(file), checksum });
  }

  /** Installs our tarball (default: the suite's) and waits for its adapter when it was accepted. */
  async installRuleThings(tarball: Tarball = this.suite.tarball): Promise<ApiResponse> {
    const res = await this.installAddon(RULE_THINGS, tarball.file, tarball.checksum);
    if (res.status === 200) await this.waitForAdapter(RULE_THINGS);
    return res;
  }

  /** The settings a user enters: this gateway's URL, the local token, a place and a zone. */
  defaultSettings(): Record<string, unknown> {
    return {
      gatewayUrl: this.base,
      accessToken: this.localToken,
      acceptSelfSigned: false,
      timeZone: 'Europe/Berlin',
      latitude: 52.52,
      longitude: 13.4,
      rulesFolder: '',
      loopGuardRate: 60,
    };
  }

  /** Settings → Add-ons → Rule Things → Configure → Apply (the gateway restarts the add-on). */
  async configureRuleThings(overrides: Record<string, unknown> = {}): Promise<void> {
    await this.apiOk('PUT', `/addons/${RULE_THINGS}/config`, {
      config: { ...this.defaultSettings(), ...overrides },
    });
    await this.waitForAdapter(RULE_THINGS);
  }

  async enableAddon(id: string, enabled = true): Promise<void> {
    await this.apiOk('PUT', `/addons/${id}`, { enabled });
  }

  /** Waits until GET /adapters lists `adapterId` as ready. */
  async waitForAdapter(adapterId: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        const adapters = await this.apiOk<{ id: string; ready: boolean }[]>('GET', '/adapters');
        return adapters.some((a) => a.id === adapterId && a.ready);
      },
      timeoutMs,
      `adapter ${adapterId}`,
      200
    );
  }

  /**
   * After a start: waits until the gateway has scanned every add-on folder, every enabled adapter
   * add-on has a ready adapter, and every saved thing of those adapters answers (property reads
   * and writes work then; until then they answer 500).
   */
  private async waitForEnabledAdapters(): Promise<void> {
    const folders = fs.readdirSync(path.join(this.profileDir, 'addons')).length;
    let adapterIds: string[] = [];
    await waitFor(
      async () => {
        const addons = await this.apiOk<{ enabled: boolean; primary_type: string }[]>(
          'GET',
          '/addons'
        );
        if (addons.length < folders) return false;
        const want = addons.filter((a) => a.enabled && a.primary_type === 'adapter').length;
        const adapters = await this.apiOk<{ id: string; ready: boolean }[]>('GET', '/adapters');
        adapterIds = adapters.filter((a) => a.ready).map((a) => a.id);
        return adapterIds.length >= want;
      },
      // The loader takes 30-50 s per add-on on a 2-core machine under heavy load.
      180_000,
      'every enabled add-on adapter',
      200
    );
    let missing: string[] = [];
    await waitFor(
      async () => {
        const things = (await this.things()).filter((t) =>
          adapterIds.some((adapter) => thingId(t).startsWith(`${adapter}-`))
        );
        // GET .../properties answers 200 even before the device exists, leaving out what it
        // could not read: a thing is up once every property of its description is there.
        const complete = await Promise.all(
          things.map(async (t) => {
            const res = await this.api<Record<string, unknown>>(
              'GET',
              `/things/${thingId(t)}/properties`
            );
            const values = res.status === 200 && typeof res.body === 'object' ? res.body : {};
            return Object.keys(t.properties ?? {}).every((name) => name in values);
          })
        );
        missing = things.filter((_, i) => !complete[i]).map(thingId);
        return missing.length === 0;
      },
      120_000,
      'the saved things of the enabled adapters',
      500
    ).catch((e) => {
      throw new Error(`${(e as Error).message}; not answering: ${missing.join(', ')}`);
    });
  }

  /** The add-on's data folder (profile/data/rule-things). */
  get dataDir(): string {
    return path.join(this.profileDir, 'data', RULE_THINGS);
  }

  /** The default rules folder. */
  get rulesDir(): string {
    return path.join(this.dataDir, 'rules');
  }

  /** The installed add-on's folder (profile/addons/rule-things). */
  get addonDir(): string {
    return path.join(this.profileDir, 'addons', RULE_THINGS);
  }

  /** Everything the gateway (and its add-ons) wrote to stdout and stderr, across restarts. */
  log(): string {
    return this.logText;
  }

  /** A mark for logSince(): the log's length now. */
  logMark(): number {
    return this.logText.length;
  }

  logSince(mark: number): string {
    return this.logText.slice(mark);
  }

  private logTail(lines = 40): string {
    return this.logText.split('\n').slice(-lines).join('\n');
  }

  /**
   * Stops the gateway as its service does (SIGINT, its graceful exit) and starts it again; resolves
   * once every saved thing of the enabled adapters answers.
   */
  async restart(): Promise<void> {
    await this.halt();
    await this.launch();
  }

  /** Stops the gateway, keeping the profile (start it again with resume()). */
  async halt(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const pgid = child.pid!;
    if (!this.exited) child.kill('SIGINT'); // the gateway's graceful exit: it unloads its add-ons
    const exited = () => waitFor(() => this.exited, 15_000, 'the gateway to exit', 100);
    const groupGone = (ms: number) =>
      waitFor(() => !groupAlive(pgid), ms, 'its add-ons to exit', 100);
    await exited()
      .then(() => groupGone(5_000))
      .catch(async () => {
        process.kill(-pgid, 'SIGTERM');
        await groupGone(5_000).catch(() => process.kill(-pgid, 'SIGKILL'));
      });
    untrackGroup(this.suite.runDir, pgid);
    this.child = undefined;
  }

  /** Starts the gateway again after halt(), on the same profile and ports. */
  async resume(): Promise<void> {
    await this.launch();
  }

  /** Stops the gateway and the file server; the temp folder is removed with the run's. */
  async stop(): Promise<void> {
    await this.halt();
    const server = this.fileServer;
    this.fileServer = undefined;
    if (server) await new Promise((r) => server.close(r));
  }
}
