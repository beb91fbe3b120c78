/**
 * The add-on's whole life in the gateway (issue 19, and scenario 1 of issue 11), in order on one
 * fresh profile, through the gateway's API as its UI does it: install from a URL with checksum,
 * restart, update to a newer version, disable and enable, a bad tarball, uninstall.
 */
import { execFile, execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { promisify } from 'util';
import { LAST_FIRED_WRITE_DELAY_MS } from '../src/host/StateStore';
import {
  buildTarball,
  Gateway,
  RULE_THINGS,
  scenario,
  sha256File,
  Tarball,
  ThingSocket,
  thingId,
  waitFor,
  FOLLOW_SWITCH,
  WAKE_LIGHT,
} from './harness';

/** The add-on's ready-made rules (ready-rules/), offered beside the Sun on a fresh install. */
const READY_RULE_TITLES = [
  'Auto-off',
  'Away lights',
  'Dusk to time',
  'Follow',
  'Motion night light',
  'Wake-up fade',
];

/** The ready rule the update scenario sets up: it fires only when its leader changes, which nothing here does. */
const READY_FOLLOW = 'rule-things-ready-follow';
const LEADER = 'Virtual On/Off Color Light';
const FOLLOWER = 'Virtual On/Off Light';
/** Morning Fade Wake (examples/morning-wake.ts copied into the rules folder): its alarm changed meaning in state format 2. */
const FADE_RULE = 'morning-wake-morning-fade-wake';

let gw: Gateway;
let sw: string;
let plug: string;
let follow: string;
let wake: string;
let fade: string;
let newer: Promise<Tarball>;

beforeAll(async () => {
  gw = await Gateway.start({ ruleThings: false });
  // Built while the first scenarios run; the update scenario awaits it (and reports its failure).
  newer = buildTarball(gw.root, gw.root, '0.1.1', rewordFollow);
  newer.catch(() => undefined);
  sw = await gw.idOf('Virtual On/Off Switch');
  plug = await gw.idOf('Virtual Smart Plug');
}, 300_000);
afterAll(() => gw?.stop());

/** Every path under `dir` (files and folders), relative, without what the loader adds. */
function treeOf(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f !== '.package-lock.json' && f !== 'gateway-addon')
    .filter((f) => !f.startsWith(`gateway-addon${path.sep}`))
    .sort();
}

/** The paths under package/node_modules/ in a tarball. */
function shippedModules(tarball: string): string[] {
  const prefix = 'package/node_modules/';
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n')
    .filter((f) => f.startsWith(prefix) && f.length > prefix.length)
    .map((f) => f.slice(prefix.length).replace(/\/$/, ''))
    .sort();
}

/** Sets the switch and waits (≤ `timeoutMs`) for the plug to follow; gives the time taken. */
async function plugFollows(on: boolean, timeoutMs = 2_000): Promise<number> {
  const started = Date.now();
  await gw.setProperty(sw, 'on', on);
  await waitFor(async () => (await gw.property(plug, 'on')) === on, timeoutMs, 'the plug', 20);
  return Date.now() - started;
}

/** Waits until the follow rule reacts at all (engine up, first check done); gives how long. */
async function ruleLive(timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const target = !(await gw.property(plug, 'on'));
    if ((await gw.property(sw, 'on')) === target) await gw.setProperty(sw, 'on', !target);
    try {
      await plugFollows(target);
      return Date.now() - started;
    } catch (e) {
      if (Date.now() - started > timeoutMs) throw e;
    }
  }
}

interface Kept {
  config: unknown;
  rules: string[];
  followEnabled: unknown;
  wakeEnabled: unknown;
  alarm: unknown;
  history: number;
}

/**
 * Waits until the Wake Light shows its alarmTime again: after a start the add-on first
 * announces a RuleThing without its settings (the engine knows them only once it has connected
 * to the gateway), and the gateway answers 500 for them meanwhile. Gives how long that was.
 */
async function settingsBack(): Promise<number> {
  const started = Date.now();
  await waitFor(
    async () => (await gw.api('GET', `/things/${wake}/properties/alarmTime`)).status === 200,
    60_000,
    'the Wake Light alarmTime',
    100
  );
  return Date.now() - started;
}

/** What a user set up and must find again: settings, rule files, flags, alarm, history. */
async function whatTheUserHas(): Promise<Kept> {
  const history = path.join(gw.dataDir, 'history.json');
  await settingsBack();
  return {
    config: await gw.apiOk('GET', `/addons/${RULE_THINGS}/config`),
    rules: fs.readdirSync(gw.rulesDir).sort(),
    followEnabled: await gw.property(follow, 'enabled'),
    wakeEnabled: await gw.property(wake, 'enabled'),
    alarm: await gw.property(wake, 'alarmTime'),
    history: fs.existsSync(history) ? fs.readFileSync(history, 'utf8').length : 0,
  };
}

/**
 * Version 0.1.1 differs as a newer release's ready rules may: Follow words its sentence anew and
 * titles its follower "Following light" ("Follower" in 0.1.0).
 */
function rewordFollow(copy: string): void {
  const file = path.join(copy, 'ready-rules', 'follow.ts');
  let text = fs.readFileSync(file, 'utf8');
  for (const [from, to] of [
    ["'{follower} follows {leader}:", "'{follower} does what {leader} does:"],
    ["{ title: 'Follower',", "{ title: 'Following light',"],
  ]) {
    if (!text.includes(from)) throw new Error(`ready-rules/follow.ts no longer has ${from}`);
    text = text.replace(from, to);
  }
  fs.writeFileSync(file, text);
}

/** What the gateway and the add-on's page show of the ready rule Follow once it runs. */
async function readyFollowShown(followerTitle: string) {
  const thing = await waitFor(
    async () => {
      const shown = await gw.apiOk<{ properties: Record<string, { title?: string }> }>(
        'GET',
        `/things/${READY_FOLLOW}`
      );
      return shown.properties.follower?.title === followerTitle && shown;
    },
    60_000,
    `Follow's follower titled "${followerTitle}"`
  );
  const page = await gw.apiOk<{ rule: { description: string } }>(
    'GET',
    '/extensions/rule-things/api/rules/ready-follow'
  );
  return {
    followerTitle: thing.properties.follower.title,
    sentence: page.rule.description,
    leader: await gw.property(READY_FOLLOW, 'leader'),
    follower: await gw.property(READY_FOLLOW, 'follower'),
    enabled: await gw.property(READY_FOLLOW, 'enabled'),
  };
}

/**
 * Waits until the add-on has written the last firing of these RuleThings to state.json: it
 * writes a firing's time within a minute (on an SD card, not at every firing).
 */
async function firingsWritten(things: string[]): Promise<void> {
  const fired = await Promise.all(things.map((t) => gw.property(t, 'lastFired')));
  const last = Math.max(0, ...fired.map((at) => Date.parse(String(at)) || 0));
  const due = last + LAST_FIRED_WRITE_DELAY_MS + 5_000 - Date.now();
  if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
  expect(savedState().rules['follow-switch']?.lastFired).toBe(
    await gw.property(follow, 'lastFired')
  );
}

/** A RuleThing's setting as the gateway gives it, once the engine has told the add-on its settings. */
function settingShown(thing: string, name: string): Promise<unknown> {
  return waitFor(
    async () => {
      const res = await gw.api('GET', `/things/${thing}/properties/${name}`);
      return res.status === 200 && { value: res.body };
    },
    60_000,
    `${thing} ${name}`
  ).then((shown) => shown.value);
}

/** The add-on's processes (none once the gateway has unloaded it). */
function addonProcesses(): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((p) => p.includes(gw.addonDir));
}

function savedState(): {
  version: number;
  rules: Record<string, { settings?: Record<string, unknown>; lastFired?: string }>;
} {
  return JSON.parse(fs.readFileSync(path.join(gw.dataDir, 'state.json'), 'utf8'));
}

function installedVersion(): Promise<string | undefined> {
  return gw
    .apiOk<{ id: string; version: string }[]>('GET', '/addons')
    .then((addons) => addons.find((a) => a.id === RULE_THINGS)?.version);
}

async function ruleThingsAdapterUp(): Promise<boolean> {
  const adapters = await gw.apiOk<{ id: string; ready: boolean }[]>('GET', '/adapters');
  return adapters.some((a) => a.id === RULE_THINGS && a.ready);
}

describe("the add-on's life in the gateway", () => {
  it('scenario 1, install: from a URL with checksum on a fresh profile; the first start adds nothing and needs no registry', async () => {
    const shipped = shippedModules(gw.suite.tarball.file);
    const started = Date.now();
    const installed = await gw.installRuleThings();
    expect(installed.status).toBe(200);
    expect(installed.body).toMatchObject({ id: RULE_THINGS, enabled: true });
    const installMs = Date.now() - started;

    // The loader's `npm link gateway-addon` linked the global copy and changed nothing else.
    const modules = path.join(gw.addonDir, 'node_modules');
    expect(fs.realpathSync(path.join(modules, 'gateway-addon'))).toBe(
      fs.realpathSync(path.join(gw.suite.gatewayDir, 'node_modules', 'gateway-addon'))
    );
    expect(treeOf(modules)).toEqual(shipped);
    const logs = path.join(gw.npmCache, '_logs');
    const npmLog = fs.existsSync(logs)
      ? fs
          .readdirSync(logs)
          .map((f) => fs.readFileSync(path.join(logs, f), 'utf8'))
          .join('\n')
      : '';
    expect(npmLog).not.toMatch(/http fetch|ECONNREFUSED/);

    await gw.configureRuleThings();
    // The Sun at once; the ready-made rules once the engine has loaded them.
    const offered = await waitFor(
      async () => {
        const ours = (await gw.newThings()).filter((t) => thingId(t).startsWith('rule-things-'));
        return ours.length >= READY_RULE_TITLES.length + 1 && ours;
      },
      60_000,
      'the Sun and the ready-made rules under "+"'
    );
    expect(offered.map((t) => t.title).sort()).toEqual(['Sun', ...READY_RULE_TITLES].sort());
    scenario(
      '1',
      'fresh install',
      `POST /addons answered in ${installMs} ms; node_modules ${shipped.length} entries, unchanged by the first start, no registry request; "+" offers: ${offered.map((t) => t.title).join(', ')}`
    );
  });

  it('restart: the add-on loads again with its RuleThings, settings, rules folder and state', async () => {
    gw.writeRule('follow-switch.ts', FOLLOW_SWITCH);
    gw.writeRule('wake-light.ts', WAKE_LIGHT);
    follow = await gw.addThing(await gw.waitForOffered('Follow Switch'));
    wake = await gw.addThing(await gw.waitForOffered('Wake Light'));
    await gw.addThing(await gw.waitForOffered('Sun'));
    await ruleLive();
    // Offered while the engine was still connecting, the Wake Light may have been added before
    // its settings were known: the gateway shows alarmTime once the add-on announces them.
    await settingsBack();
    await gw.setProperty(wake, 'alarmTime', '07:15');
    await gw.setProperty(wake, 'enabled', false);
    const before = await whatTheUserHas();
    expect(before.history).toBeGreaterThan(0);

    const mark = gw.logMark();
    const started = Date.now();
    await gw.restart();
    const restartMs = Date.now() - started;
    expect(gw.logSince(mark)).not.toMatch(/Failed to load add-on rule-things|Checksum failed/);
    const settingsMs = await settingsBack();
    const after = await whatTheUserHas();
    expect({ ...after, history: 0 }).toEqual({ ...before, history: 0 });
    expect(after.history).toBeGreaterThanOrEqual(before.history);
    const liveMs = await ruleLive();
    scenario(
      '19.2',
      'gateway restart',
      `back in ${restartMs} ms (alarmTime missing for ${settingsMs} ms more), rule following ${liveMs} ms later; settings, ${before.rules.length} rules-folder entries, enabled flags, alarm 07:15 and history kept`
    );
  });

  it('update: PATCH /addons/rule-things to a newer version keeps rules, settings, flags, alarms and history, replaces the ready rules and migrates the state file once', async () => {
    await gw.addThing(await gw.waitForOffered('Follow'));
    await settingShown(READY_FOLLOW, 'follower');
    await gw.setProperty(READY_FOLLOW, 'leader', LEADER);
    await gw.setProperty(READY_FOLLOW, 'follower', FOLLOWER);
    await gw.setProperty(READY_FOLLOW, 'enabled', true);
    const readyBefore = await readyFollowShown('Follower');
    expect(readyBefore).toMatchObject({ leader: LEADER, follower: FOLLOWER, enabled: true });
    expect(readyBefore.sentence).toContain(`${FOLLOWER} follows ${LEADER}`);
    // A rule whose saved alarm changed meaning in state format 2, copied up from the examples.
    const example = path.join(gw.rulesDir, 'examples', 'morning-wake.ts');
    gw.writeRule('morning-wake.ts', fs.readFileSync(example, 'utf8'));
    fade = await gw.addThing(await gw.waitForOffered('Morning Fade Wake'));
    expect(await settingShown(fade, 'alarmTime')).toBe('06:30');
    const tarball = await newer;
    const before = await whatTheUserHas();

    // The state file as a version before format 2 left it: Morning Fade Wake's alarm saved as
    // when its 20-minute fade starts, 05:40 for a light full at 06:00. 0.1.0 already reads format
    // 2, so the file is put in place just before the update, once 0.1.0 has written everything it
    // holds: no rule fires from here until the update, so it has nothing left to write.
    await firingsWritten([follow, READY_FOLLOW, fade]);
    const state = savedState();
    expect(state.version).toBe(2);
    const saved = state.rules[FADE_RULE] ?? {};
    state.version = 1;
    state.rules[FADE_RULE] = { ...saved, settings: { ...saved.settings, alarmTime: '05:40' } };
    fs.writeFileSync(path.join(gw.dataDir, 'state.json'), JSON.stringify(state, null, 2) + '\n');

    const started = Date.now();
    const updated = await gw.api('PATCH', `/addons/${RULE_THINGS}`, {
      url: await gw.offer(tarball.file),
      checksum: tarball.checksum,
    });
    expect(updated.status).toBe(200);
    await gw.waitForAdapter(RULE_THINGS);
    expect(await installedVersion()).toBe('0.1.1');
    await ruleLive();
    const updateMs = Date.now() - started;
    const after = await whatTheUserHas();
    expect({ ...after, history: 0 }).toEqual({ ...before, history: 0 });
    expect(after.history).toBeGreaterThanOrEqual(before.history);
    // The ready rule is 0.1.1's, with the things the user picked and its switch as they were.
    const readyAfter = await readyFollowShown('Following light');
    expect(readyAfter).toMatchObject({ leader: LEADER, follower: FOLLOWER, enabled: true });
    expect(readyAfter.sentence).toContain(`${FOLLOWER} does what ${LEADER} does`);
    // 0.1.1's first start moved the format-1 alarm to the time the light is full, and said so in the file.
    expect(await settingShown(fade, 'alarmTime')).toBe('06:00');
    expect(savedState()).toMatchObject({ version: 2 });
    expect(savedState().rules[FADE_RULE].settings?.alarmTime).toBe('06:00');
    scenario(
      '19.3',
      'update 0.1.0 → 0.1.1',
      `running again ${updateMs} ms after PATCH; everything kept; ready rule Follow now 0.1.1's ("${readyAfter.sentence}"), its things and switch kept; format-1 alarm 05:40 (fade start) migrated to 06:00 (light full)`
    );
  }, 300_000);

  it('disable and enable: its things go unavailable and come back, and no rule fires while disabled', async () => {
    const socket: ThingSocket = await gw.socket();
    try {
      const from = socket.messages.length;
      expect(await gw.apiOk('PUT', `/addons/${RULE_THINGS}`, { enabled: false })).toEqual({
        enabled: false,
      });
      await socket.next(
        (m) => m.id === follow && m.messageType === 'connected' && m.data === false,
        15_000,
        from
      );
      expect(await ruleThingsAdapterUp()).toBe(false);
      const plugBefore = await gw.property(plug, 'on');
      await gw.setProperty(sw, 'on', !(await gw.property(sw, 'on')));
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await gw.property(plug, 'on')).toBe(plugBefore);

      const back = socket.messages.length;
      const started = Date.now();
      await gw.enableAddon(RULE_THINGS, true);
      await gw.waitForAdapter(RULE_THINGS);
      await socket.next(
        (m) => m.id === follow && m.messageType === 'connected' && m.data === true,
        30_000,
        back
      );
      const liveMs = await ruleLive();
      expect(await gw.property(wake, 'alarmTime')).toBe('07:15');
      // The format-1 migration ran once, at the update: this start leaves the alarm as it is.
      expect(await settingShown(fade, 'alarmTime')).toBe('06:00');
      expect(savedState().rules[FADE_RULE].settings?.alarmTime).toBe('06:00');
      scenario(
        '19.4',
        'disable / enable',
        `things disconnected, plug untouched while disabled; following again ${Date.now() - started} ms after enabling (${liveMs} ms of it waiting for the rule)`
      );
    } finally {
      socket.close();
    }
  });

  it('a bad tarball: a checksum mismatch is refused and the installed version keeps running; a missing file is refused', async () => {
    const good = gw.suite.tarball;
    // The gateway answers 400 with an empty body (it sends the Error object); its message is in its log.
    let mark = gw.logMark();
    const mismatch = await gw.api('PATCH', `/addons/${RULE_THINGS}`, {
      url: await gw.offer(good.file),
      checksum: '0'.repeat(64),
    });
    expect(mismatch.status).toBe(400);
    expect(gw.logSince(mark)).toContain('Checksum did not match for add-on: rule-things');
    expect(await installedVersion()).toBe('0.1.1');
    const ms = await plugFollows(!(await gw.property(plug, 'on')));

    // A tarball whose SHA256SUMS names a file it lacks.
    const work = fs.mkdtempSync(path.join(gw.root, 'broken-'));
    // Asynchronous: the gateway's log pipe must keep being read meanwhile.
    const tar = promisify(execFile);
    await tar('tar', ['-xzf', good.file, '-C', work]);
    fs.rmSync(path.join(work, 'package', 'lib', 'addon', 'SunThing.js'));
    const broken = path.join(work, 'broken.tgz');
    await tar('tar', ['-czf', broken, '-C', work, 'package']);
    mark = gw.logMark();
    const missing = await gw.api('PATCH', `/addons/${RULE_THINGS}`, {
      url: await gw.offer(broken),
      checksum: sha256File(broken),
    });
    expect(missing.status).toBe(400);
    await waitFor(
      () => /File \S*SunThing\.js missing for add-on rule-things/.test(gw.logSince(mark)),
      5_000,
      "the gateway's message"
    );
    const missingMessage = /File \S*SunThing\.js missing for add-on rule-things/.exec(
      gw.logSince(mark)
    )![0];
    // The gateway removes the installed copy before it checks the new one, so after this refusal
    // the add-on is not running; installing a good tarball again brings everything back.
    const down = !(await ruleThingsAdapterUp());
    const reinstalled = await gw.api('PATCH', `/addons/${RULE_THINGS}`, {
      url: await gw.offer(good.file),
      checksum: good.checksum,
    });
    expect(reinstalled.status).toBe(200);
    await gw.waitForAdapter(RULE_THINGS);
    await ruleLive();
    expect(await gw.property(wake, 'alarmTime')).toBe('07:15');
    scenario(
      '19.6',
      'bad tarballs',
      `checksum mismatch refused (HTTP ${mismatch.status}, "Checksum did not match for add-on: rule-things"), rule still followed in ${ms} ms; missing file refused (HTTP ${missing.status}, "${path.basename(missingMessage)}"), add-on ${down ? 'down until reinstalled (the gateway removes the old copy first)' : 'still up'}; reinstalled with data kept`
    );
  }, 120_000);

  it('uninstall: its things go away cleanly and the data folder keeps what the README says', async () => {
    const socket = await gw.socket();
    try {
      const from = socket.messages.length;
      const res = await gw.api('DELETE', `/addons/${RULE_THINGS}`);
      expect(res.status).toBe(204);
      await socket.next(
        (m) => m.id === follow && m.messageType === 'connected' && m.data === false,
        15_000,
        from
      );
    } finally {
      socket.close();
    }
    expect(await installedVersion()).toBeUndefined();
    expect(await ruleThingsAdapterUp()).toBe(false);
    expect(fs.existsSync(gw.addonDir)).toBe(false);
    // No process of the add-on is left (the gateway unloads it without waiting: give it 15 s).
    await waitFor(() => addonProcesses().length === 0, 15_000, 'the add-on process to exit').catch(
      () => expect(addonProcesses()).toEqual([])
    );
    // Kept: the user's rules (never deleted without asking), saved flags and settings, history.
    for (const kept of [
      'rules/follow-switch.ts',
      'rules/wake-light.ts',
      'state.json',
      'history.json',
    ]) {
      expect(fs.existsSync(path.join(gw.dataDir, kept))).toBe(true);
    }
    const state = fs.readFileSync(path.join(gw.dataDir, 'state.json'), 'utf8');
    expect(state).toContain('07:15');
    scenario(
      '19.5',
      'uninstall',
      `add-on folder and processes gone, RuleThings disconnected; kept in ${gw.dataDir}: ${fs.readdirSync(gw.dataDir).sort().join(', ')}`
    );
  });
});
