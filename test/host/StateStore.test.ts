/** The saved RuleThing state: round trip, atomic writes, and a corrupt file moved aside. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { VirtualClock } from '../../src/clock';
import { StateStore } from '../../src/host/StateStore';

let dir: string;
let file: string;
const clock = () => new VirtualClock('2027-03-28T01:00:00', 'UTC');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-state-'));
  file = path.join(dir, 'state.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('StateStore', () => {
  it('keeps the saved state of rules called "constructor" or "toString", and never touches Object', async () => {
    const store = new StateStore(file, clock());
    store.load();
    expect(store.get('constructor')).toBeUndefined();
    await store.setEnabled('constructor', false);
    await store.setSetting('toString', 'alarmTime', '07:00');
    expect('enabled' in Object).toBe(false);
    const again = new StateStore(file, clock());
    again.load();
    expect(again.get('constructor')).toEqual({ enabled: false });
    expect(again.get('toString')).toEqual({ settings: { alarmTime: '07:00' } });
    expect(again.get('hasOwnProperty')).toBeUndefined();
  });

  it("moves Morning Wake's saved alarm (the fade's start before version 2) to the time the light is full, once", async () => {
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        rules: {
          'examples-morning-wake-morning-fade-wake': { settings: { alarmTime: '06:10' } },
          'my-wake-morning-fade-wake': { settings: { alarmTime: '23:50', fadeDuration: '30m' } },
          'porch-light': { settings: { alarmTime: '06:10' } },
        },
      })
    );
    const store = new StateStore(file, clock());
    expect(store.load()).toBeNull();
    await store.flush();
    expect(store.get('examples-morning-wake-morning-fade-wake')?.settings).toEqual({
      alarmTime: '06:30',
    });
    expect(store.get('my-wake-morning-fade-wake')?.settings?.alarmTime).toBe('00:20');
    expect(store.get('porch-light')?.settings?.alarmTime).toBe('06:10');
    const again = new StateStore(file, clock());
    again.load();
    expect(again.get('examples-morning-wake-morning-fade-wake')?.settings?.alarmTime).toBe('06:30');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).version).toBe(2);
  });

  it('starts empty without a file, and says nothing', () => {
    const store = new StateStore(file, clock());
    expect(store.load()).toBeNull();
    expect(store.all()).toEqual({});
  });

  it('reads back what it wrote, in a new store as after a restart', async () => {
    const store = new StateStore(file, clock());
    store.load();
    await store.setEnabled('morning-wake', false);
    await store.setSetting('morning-wake', 'alarmTime', '07:15');
    store.setLastFired('morning-wake', '2027-03-28T07:15:00.000Z');
    await store.flush();

    const again = new StateStore(file, clock());
    expect(again.load()).toBeNull();
    expect(again.get('morning-wake')).toEqual({
      enabled: false,
      settings: { alarmTime: '07:15' },
      lastFired: '2027-03-28T07:15:00.000Z',
    });
  });

  it('leaves no temp file behind and writes the last of overlapping changes', async () => {
    const store = new StateStore(file, clock());
    await Promise.all([
      store.setSetting('r', 'level', 1),
      store.setSetting('r', 'level', 2),
      store.setSetting('r', 'level', 3),
    ]);
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).rules.r.settings.level).toBe(3);
  });

  it('writes lastFired within a minute, not on every firing', async () => {
    const virtual = clock();
    const store = new StateStore(file, virtual);
    store.setLastFired('heartbeat', '2027-03-28T01:00:02.000Z');
    expect(fs.existsSync(file)).toBe(false);
    await virtual.advance('61s');
    await store.flush();
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).rules.heartbeat.lastFired).toBe(
      '2027-03-28T01:00:02.000Z'
    );
  });

  it('removes the temp files of writes a crash interrupted, and keeps the state', async () => {
    const first = new StateStore(file, clock());
    first.load();
    await first.setEnabled('morning-wake', false);
    fs.writeFileSync(`${file}.tmp-4242`, '{"version": 1, "rul');
    fs.writeFileSync(path.join(dir, 'other.json.tmp-1'), 'not ours');
    const store = new StateStore(file, clock());
    expect(store.load()).toBeNull();
    expect(store.get('morning-wake')).toEqual({ enabled: false });
    expect(fs.readdirSync(dir).sort()).toEqual(['other.json.tmp-1', 'state.json']);
  });

  it('moves a corrupt file aside as .corrupt-<time> and starts from the defaults', () => {
    fs.writeFileSync(file, '{"version":1,"rules":{"a":{"enabled":tru');
    const store = new StateStore(file, clock());
    const message = store.load();
    expect(message).toMatch(/^The saved rule states were corrupt \(not JSON: /);
    expect(message).toContain('state.json.corrupt-20270328T010000Z');
    expect(store.all()).toEqual({});
    expect(fs.existsSync(`${file}.corrupt-20270328T010000Z`)).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses each bad part of a rule with a message naming it, keeps the good parts, and copies the file aside', () => {
    const text = JSON.stringify({
      version: 1,
      rules: {
        a: { enabled: true, settings: [1, 2], lastFired: 42 },
        b: { enabled: 'yes', settings: { level: 70, when: { h: 6 } }, occurrences: { x: 'never' } },
        c: 'off',
        d: { enabled: false, lastFired: '2027-03-28T00:30:00.000Z' },
      },
    });
    fs.writeFileSync(file, text);
    const store = new StateStore(file, clock());
    const message = store.load();
    expect(message).toBe(
      'Parts of the saved rule states were refused (rule "a": settings [1,2] is not an object of setting values; ' +
        'rule "a": lastFired 42 is not an ISO time; rule "b": enabled "yes" is not true or false; ' +
        'rule "b": setting when {"h":6} is not a text, number or true/false; ' +
        'rule "b": occurrence of "x" "never" is not an ISO time; and 1 more); the rest is kept, ' +
        `the file as it was is in ${file}.corrupt-20270328T010000Z`
    );
    expect(store.all()).toEqual({
      a: { enabled: true },
      b: { settings: { level: 70 }, occurrences: {} },
      d: { enabled: false, lastFired: '2027-03-28T00:30:00.000Z' },
    });
    // Nothing is lost: the file as it was is beside it.
    expect(fs.readFileSync(`${file}.corrupt-20270328T010000Z`, 'utf8')).toBe(text);
  });

  it('counts a file that is not a state file as corrupt, and moves it aside', () => {
    fs.writeFileSync(file, JSON.stringify({ version: 1, rules: [1, 2] }));
    expect(new StateStore(file, clock()).load()).toMatch(
      /^The saved rule states were corrupt \("rules" is not an object\); the file was kept as /
    );
    expect(fs.existsSync(file)).toBe(false);
  });

  it('on a disk that refuses writes, reports the problem once with the rules waiting, never rejects, and saves once the disk takes it', async () => {
    // A file where the state's folder should be: every write fails, as on a read-only disk.
    const blocker = path.join(dir, 'blocked');
    fs.writeFileSync(blocker, '');
    const blockedFile = path.join(blocker, 'state.json');
    const virtual = clock();
    const problems: [string | null, string[]][] = [];
    const store = new StateStore(blockedFile, virtual, (problem, ruleIds) =>
      problems.push([problem, ruleIds])
    );
    await expect(store.setEnabled('porch', false)).resolves.toBeUndefined();
    await expect(store.forgetSetting('porch', 'x')).resolves.toBeUndefined();
    await expect(store.setSetting('wake', 'alarmTime', '07:00')).resolves.toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0][0]).toMatch(
      /^could not save the rule states to .*blocked\/state\.json \(.*\); they are kept in memory and saved as soon as the disk takes them \(next try in 5 s\)$/
    );
    expect(problems[0][1]).toEqual(['porch']);

    await virtual.advance('5s');
    expect(problems).toHaveLength(1);
    fs.rmSync(blocker);
    // The retries back off: 5 s, then 10 s, then 20 s …
    await virtual.advance('20s');
    await store.flush();
    expect(problems[1]).toEqual([null, []]);
    expect(JSON.parse(fs.readFileSync(blockedFile, 'utf8')).rules).toEqual({
      porch: { enabled: false },
      wake: { settings: { alarmTime: '07:00' } },
    });
  });

  it('forgets a setting the rule no longer accepts', async () => {
    const store = new StateStore(file, clock());
    await store.setSetting('r', 'alarmTime', '7 am');
    await store.forgetSetting('r', 'alarmTime');
    expect(store.get('r')).toEqual({ settings: {} });
  });
});
