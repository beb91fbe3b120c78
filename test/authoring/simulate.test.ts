/**
 * Tests of simulateRule over the week 2027-03-26 .. 04-01 in Europe/Berlin, which holds the
 * spring-forward night (Sun 03-28, 02:00 CET → 03:00 CEST). Expected instants are written from
 * the calendar and from NOAA's solar calculator equations (computed outside this code base,
 * for 52.52 °N 13.405 °E), never from the code under test.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DateTime } from 'luxon';
import { simulateRule, simulationJson, SimulateOptions } from '../../src/authoring/simulate';
import { TimelineEntry } from '../../src/authoring/timeline';
import { ThingState } from '../../src/protocol/gateway';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const WEEK: SimulateOptions = {
  from: '2027-03-26T00:00',
  days: 7,
  tz: 'Europe/Berlin',
  lat: 52.52,
  lon: 13.405,
};

let wakeFile: string;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-simulate-'));
  wakeFile = path.join(dir, 'morning-wake.ts');
  fs.writeFileSync(
    wakeFile,
    `import { AbsoluteTimeTrigger, Rule } from 'rule-things';

/** On at 06:30 on weekdays, off again at 07:00, so each weekday shows both changes. */
export default class MorningWake extends Rule {
  wake = new AbsoluteTimeTrigger('06:30', { days: 'weekdays' });
  off = new AbsoluteTimeTrigger('07:00', { days: 'weekdays' });
  triggers() {
    return [this.wake, this.off];
  }
  action(trigger: unknown) {
    this.things.Bedside_Ikea_Light.on = trigger === this.wake;
  }
}
`
  );
});

/** Epoch ms of an entry. */
function ms(entry: TimelineEntry): number {
  return DateTime.fromISO(entry.at, { setZone: true }).toMillis();
}

/** The entries of `kinds`, as [at, text] pairs. */
function of(entries: TimelineEntry[], ...kinds: TimelineEntry['kind'][]): [string, string][] {
  return entries.filter((e) => kinds.includes(e.kind)).map((e) => [e.at, e.text]);
}

describe('simulateRule', () => {
  it('fires the morning-wake rule at 06:30 local on each weekday, across the DST change', async () => {
    const run = await simulateRule(wakeFile, WEEK);
    const fired = 'MorningWake fired: at 06:30 on weekdays';
    const off = 'MorningWake fired: at 07:00 on weekdays';
    const lightOn = 'Bedside Ikea Light on: false → true';
    const lightOff = 'Bedside Ikea Light on: true → false';
    const expected: [string, string][] = [];
    // Fri 03-26 is still CET (+01:00); from Mon 03-29 it is CEST (+02:00); Sat and Sun have no alarm.
    for (const [day, offset] of [
      ['2027-03-26', '+01:00'],
      ['2027-03-29', '+02:00'],
      ['2027-03-30', '+02:00'],
      ['2027-03-31', '+02:00'],
      ['2027-04-01', '+02:00'],
    ]) {
      expected.push(
        [`${day}T06:30:00.000${offset}`, fired],
        [`${day}T06:30:00.000${offset}`, lightOn]
      );
      expected.push(
        [`${day}T07:00:00.000${offset}`, off],
        [`${day}T07:00:00.000${offset}`, lightOff]
      );
    }
    expect(of(run.entries, 'fired', 'set')).toEqual(expected);
    // The same instants in UTC, so an offset printed wrongly could not hide a wrong instant.
    const wakes = run.entries.filter((e) => e.text === fired).map(ms);
    expect(wakes).toEqual([
      Date.UTC(2027, 2, 26, 5, 30),
      Date.UTC(2027, 2, 29, 4, 30),
      Date.UTC(2027, 2, 30, 4, 30),
      Date.UTC(2027, 2, 31, 4, 30),
      Date.UTC(2027, 3, 1, 4, 30),
    ]);
    expect(run.truncated).toBe(false);
  });

  it('shows the spring-forward night once, at 01:00 UTC on Sunday 28 March', async () => {
    const run = await simulateRule(wakeFile, WEEK);
    const dst = run.entries.filter((e) => e.kind === 'dst');
    expect(dst.map((e) => [ms(e), e.text])).toEqual([
      [
        Date.UTC(2027, 2, 28, 1, 0),
        'clocks go forward one hour: 02:00 becomes 03:00 (UTC+01:00 → UTC+02:00)',
      ],
    ]);
    expect(run.text).toContain(
      'Sun 2027-03-28 (UTC+01:00 → UTC+02:00)\n' +
        '  02:00  clocks go forward one hour: 02:00 becomes 03:00 (UTC+01:00 → UTC+02:00)\n'
    );
  });

  it("lists each day's sunrise and sunset within 2 minutes of NOAA's", async () => {
    // NOAA solar calculator (zenith 90.833°), local time.
    const noaa: [string, string, string][] = [
      ['2027-03-26', '05:56+01:00', '18:30+01:00'],
      ['2027-03-27', '05:53+01:00', '18:31+01:00'],
      ['2027-03-28', '06:51+02:00', '19:33+02:00'],
      ['2027-03-29', '06:49+02:00', '19:35+02:00'],
      ['2027-03-30', '06:46+02:00', '19:37+02:00'],
      ['2027-03-31', '06:44+02:00', '19:38+02:00'],
      ['2027-04-01', '06:42+02:00', '19:40+02:00'],
    ];
    const run = await simulateRule(wakeFile, WEEK);
    const sun = run.entries.filter((e) => e.kind === 'sun');
    expect(sun.map((e) => e.text)).toEqual(noaa.flatMap(() => ['sunrise', 'sunset']));
    noaa.forEach(([day, rise, set], i) => {
      for (const [entry, time] of [
        [sun[2 * i], rise],
        [sun[2 * i + 1], set],
      ] as const) {
        const want = DateTime.fromISO(`${day}T${time}`).toMillis();
        expect(Math.abs(ms(entry) - want)).toBeLessThanOrEqual(2 * 60_000);
      }
    });
  });

  it('prints a day as a person reads it', async () => {
    const run = await simulateRule(wakeFile, WEEK);
    expect(run.text.startsWith('Dry run of morning-wake.ts: MorningWake\n')).toBe(true);
    expect(run.text).toContain(
      'Mon 2027-03-29 (UTC+02:00)\n' +
        '  06:30  MorningWake fired: at 06:30 on weekdays\n' +
        '  06:30      Bedside Ikea Light on: false → true\n' +
        '  06:49  sunrise\n' +
        '  07:00  MorningWake fired: at 07:00 on weekdays\n' +
        '  07:00      Bedside Ikea Light on: true → false\n' +
        '  19:35  sunset\n'
    );
  });

  it('runs the example fade from 06:10 to full at the 06:30 alarm on weekdays (07:30 at the weekend), condensed to one line', async () => {
    const run = await simulateRule(path.join(EXAMPLES, 'morning-wake.ts'), {
      ...WEEK,
      rules: ['MorningFadeWakeRule'],
    });
    expect(run.rules.filter((r) => r.enabled).map((r) => r.name)).toEqual(['MorningFadeWakeRule']);
    const firings = run.entries.filter((e) => e.kind === 'fired').map((e) => e.at);
    expect(firings).toEqual([
      '2027-03-26T06:10:00.000+01:00',
      '2027-03-27T07:10:00.000+01:00',
      '2027-03-28T07:10:00.000+02:00',
      '2027-03-29T06:10:00.000+02:00',
      '2027-03-30T06:10:00.000+02:00',
      '2027-03-31T06:10:00.000+02:00',
      '2027-04-01T06:10:00.000+02:00',
    ]);
    // Full brightness exactly when the 20-minute fade is over.
    const full = run.entries
      .filter((e) => e.kind === 'set' && e.property === 'level' && e.to === 100)
      .map((e) => e.at);
    expect(full).toEqual(
      firings.map((at) => at.replace('06:10', '06:30').replace('07:10', '07:30'))
    );
    expect(run.text).toContain('  06:10:12–06:30  Bedside Ikea Light level: 1 → 100 (99 steps)\n');
  });

  it('runs the porch light at civil dusk (within 2 minutes of NOAA) and off at 23:00', async () => {
    const run = await simulateRule(path.join(EXAMPLES, 'porch-light.ts'), WEEK);
    const on = run.entries.filter((e) => e.kind === 'set' && e.to === true);
    const off = run.entries.filter((e) => e.kind === 'set' && e.to === false);
    // NOAA civil dusk (zenith 96°), local time.
    const dusk = [
      '19:04+01:00',
      '19:06+01:00',
      '20:08+02:00',
      '20:09+02:00',
      '20:11+02:00',
      '20:13+02:00',
      '20:15+02:00',
    ];
    expect(on).toHaveLength(7);
    on.forEach((entry, i) => {
      const day = DateTime.fromISO('2027-03-26').plus({ days: i }).toISODate();
      const want = DateTime.fromISO(`${day}T${dusk[i]}`).toMillis();
      expect(Math.abs(ms(entry) - want)).toBeLessThanOrEqual(2 * 60_000);
    });
    expect(off.map((e) => e.at)).toEqual([
      '2027-03-26T23:00:00.000+01:00',
      '2027-03-27T23:00:00.000+01:00',
      '2027-03-28T23:00:00.000+02:00',
      '2027-03-29T23:00:00.000+02:00',
      '2027-03-30T23:00:00.000+02:00',
      '2027-03-31T23:00:00.000+02:00',
      '2027-04-01T23:00:00.000+02:00',
    ]);
  });

  it('runs against a snapshot of things instead of the seed home, replacing values it cannot use', async () => {
    const things: ThingState[] = [
      {
        description: {
          id: 'zb-0017880103',
          title: 'Bedside Ikea Light',
          properties: {
            on: { type: 'boolean' },
            level: { type: 'integer', minimum: 0, maximum: 100 },
          },
        },
        values: { on: false, level: null },
        connected: true,
      },
    ];
    const run = await simulateRule(wakeFile, { ...WEEK, days: 1, things });
    expect(of(run.entries, 'set')).toEqual([
      ['2027-03-26T06:30:00.000+01:00', 'Bedside Ikea Light on: false → true'],
      ['2027-03-26T07:00:00.000+01:00', 'Bedside Ikea Light on: true → false'],
    ]);
    expect(run.entries.find((e) => e.kind === 'set')?.thingId).toBe('zb-0017880103');
  });

  it('gives JSON that survives a round trip and carries no text', async () => {
    const run = await simulateRule(wakeFile, { ...WEEK, days: 1 });
    const json = simulationJson(run);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json).not.toHaveProperty('text');
    expect(json).toMatchObject({
      from: '2027-03-26T00:00:00.000+01:00',
      zone: 'Europe/Berlin',
      truncated: false,
    });
  });

  it('refuses an unknown rule name and names the ones the file has', async () => {
    await expect(
      simulateRule(path.join(EXAMPLES, 'morning-wake.ts'), { ...WEEK, rules: ['MorningWak'] })
    ).rejects.toThrow(
      'Unknown rule: MorningWak (the files have MorningWakeRule, WeekdayWeekendWakeRule, MorningFadeWakeRule)'
    );
  });

  it('stops a runaway rule at the entry limit and says so', async () => {
    const run = await simulateRule(path.join(EXAMPLES, 'rainbow.ts'), { ...WEEK, maxEntries: 200 });
    expect(run.truncated).toBe(true);
    expect(run.entries.filter((e) => e.kind !== 'sun' && e.kind !== 'dst')).toHaveLength(200);
    expect(run.text).toMatch(/\nStopped at Fri 2027-03-26 01:00: more than 200 entries\.\n$/);
  });
});
