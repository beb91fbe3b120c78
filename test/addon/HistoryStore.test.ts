/** The page's history: newest first, capped, written within a minute, read back after a restart. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { VirtualClock } from '../../src/clock';
import { HISTORY_LIMIT, HistoryStore } from '../../src/addon/HistoryStore';

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

  it('starts empty, saying why, when the file is not a history', () => {
    fs.writeFileSync(file, '{"version": 7}');
    const history = new HistoryStore(file, new VirtualClock('2027-06-14T08:00', 'UTC'));
    expect(history.load()).toMatch(/^The rule history in .* is unreadable \(not a history file\)/);
    expect(history.list()).toEqual([]);
  });
});
