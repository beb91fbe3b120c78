/** The page's history: newest first, capped, written within a minute, read back after a restart. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { VirtualClock } from '../../src/clock';
import { HISTORY_LIMIT, HistoryStore } from '../../src/host/HistoryStore';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-history-'));
  file = path.join(dir, 'history.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const record = (n: number) => ({
  ruleId: 'rainbow',
  at: new Date(Date.UTC(2027, 5, 14, 8, 0, n)).toISOString(),
  trigger: 'every 2 seconds',
  property: 'activated',
  value: true,
  changes: [`Philips HUE 01 color ${n}`],
});

describe('HistoryStore', () => {
  it(`keeps the last ${HISTORY_LIMIT} entries, newest first`, () => {
    const history = new HistoryStore(file, new VirtualClock('2027-06-14T08:00', 'UTC'));
    for (let n = 0; n < HISTORY_LIMIT + 50; n++) history.fired(record(n), 'Rainbow');
    const list = history.list();
    expect(list).toHaveLength(HISTORY_LIMIT);
    expect(list[0].changes).toEqual([`Philips HUE 01 color ${HISTORY_LIMIT + 49}`]);
    expect(list.at(-1)!.changes).toEqual(['Philips HUE 01 color 50']);
  });

  it('records an error status once when it appears, and again only after it cleared', () => {
    const history = new HistoryStore(file, new VirtualClock('2027-06-14T08:00', 'UTC'));
    history.status('porch', 'Porch Light', 'ok');
    history.status('porch', 'Porch Light', 'error in action: boom');
    history.status('porch', 'Porch Light', 'error in action: boom');
    history.status('porch', 'Porch Light', 'ok');
    history.status('porch', 'Porch Light', 'error in action: boom');
    expect(history.list().map((e) => [e.kind, e.message, e.at])).toEqual([
      ['error', 'error in action: boom', '2027-06-14T08:00:00.000Z'],
      ['error', 'error in action: boom', '2027-06-14T08:00:00.000Z'],
    ]);
  });

  it('cuts long texts and long change lists so the file stays small', () => {
    const history = new HistoryStore(file, new VirtualClock('2027-06-14T08:00', 'UTC'));
    history.fired({ ...record(1), changes: Array.from({ length: 30 }, (_, i) => `c${i}`) }, 'R');
    history.error('r', 'R', 'x'.repeat(5000));
    const [error, fired] = history.list();
    expect(error.message!.length).toBe(300);
    expect(fired.changes).toHaveLength(11);
    expect(fired.changes!.at(-1)).toBe('… and 20 more');
  });

  it('writes within a minute, not at every firing, and reads it back after a restart', async () => {
    const clock = new VirtualClock('2027-06-14T08:00', 'UTC');
    const history = new HistoryStore(file, clock);
    history.fired(record(1), 'Rainbow');
    history.fired(record(2), 'Rainbow');
    expect(fs.existsSync(file)).toBe(false);
    await clock.advance('1m');
    await history.flush();
    const again = new HistoryStore(file, clock);
    expect(again.load()).toBeNull();
    expect(again.list().map((e) => e.at)).toEqual([record(2).at, record(1).at]);
  });

  it('starts empty, saying why, when the file is not a history, and keeps the file aside', () => {
    fs.writeFileSync(file, '{"version": 7}');
    const history = new HistoryStore(file, new VirtualClock('2027-06-14T08:00', 'UTC'));
    expect(history.load()).toBe(
      `The rule history was unreadable (not a history file); it starts empty and the file was kept as ${file}.corrupt-20270614T080000Z`
    );
    expect(history.list()).toEqual([]);
    expect(fs.readFileSync(`${file}.corrupt-20270614T080000Z`, 'utf8')).toBe('{"version": 7}');
  });

  it('keeps a corrupt file aside rather than replacing it, so no entry is lost', async () => {
    const clock = new VirtualClock('2027-06-14T08:00', 'UTC');
    const first = new HistoryStore(file, clock);
    for (let n = 0; n < 199; n++) first.fired(record(n), 'Rainbow');
    await first.flush();
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, -40));
    const history = new HistoryStore(file, clock);
    expect(history.load()).toMatch(/^The rule history was unreadable \(not JSON: /);
    history.fired(record(500), 'Rainbow');
    await history.flush();
    const kept = fs.readFileSync(`${file}.corrupt-20270614T080000Z`, 'utf8');
    expect(kept).toBe(text.slice(0, -40));
  });

  it('refuses the entries that are not history entries, keeps the others, and copies the file aside', () => {
    const good = {
      at: '2027-06-14T07:00:00.000Z',
      kind: 'fired',
      ruleId: 'rainbow',
      title: 'Rainbow',
    };
    const text = JSON.stringify({
      version: 1,
      entries: [
        good,
        { ...good, at: 42 },
        { ...good, changes: [1] },
        'x',
        { ...good, kind: 'odd' },
      ],
    });
    fs.writeFileSync(file, text);
    const history = new HistoryStore(file, new VirtualClock('2027-06-14T08:00', 'UTC'));
    expect(history.load()).toBe(
      `Parts of the rule history were refused (4 of 5 entries are not history entries); the other entries are kept, the file as it was is in ${file}.corrupt-20270614T080000Z`
    );
    expect(history.list()).toEqual([good]);
    expect(fs.readFileSync(`${file}.corrupt-20270614T080000Z`, 'utf8')).toBe(text);
  });

  it('reports a failed write once and retries it until the disk takes it', async () => {
    const blocker = path.join(dir, 'blocked');
    fs.writeFileSync(blocker, '');
    const blockedFile = path.join(blocker, 'history.json');
    const clock = new VirtualClock('2027-06-14T08:00', 'UTC');
    const problems: (string | null)[] = [];
    const history = new HistoryStore(blockedFile, clock, HISTORY_LIMIT, (p) => problems.push(p));
    history.fired(record(1), 'Rainbow');
    await clock.advance('1m');
    await history.flush();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^could not save the rule history to .*blocked\/history\.json/);
    fs.rmSync(blocker);
    await clock.advance('10m');
    await history.flush();
    expect(problems).toEqual([problems[0], null]);
    expect(JSON.parse(fs.readFileSync(blockedFile, 'utf8')).entries).toHaveLength(1);
  });
});
