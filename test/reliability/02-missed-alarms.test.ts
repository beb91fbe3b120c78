/**
 * Issue 6, point 2: an alarm (time of day, solar event) due while the gateway is unreachable runs
 * when it is back if within the grace period, else it is logged as missed; no occurrence runs
 * twice, also across restarts of the engine, whose last fired occurrences the add-on's StateStore
 * keeps.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { AbsoluteTimeTrigger, Rule, SolarEventTrigger } from 'rule-things';
import { VirtualClock } from '../../src/clock';
import { StateStore } from '../../src/host/StateStore';
import type { RuleSystemOptions } from '../../src/engine/RuleSystem';
import { Stack, startStack } from './stack';

class WakeRule extends Rule {
  triggers() {
    return [new AbsoluteTimeTrigger('06:30')];
  }

  action() {
    this.things.Bedside_Ikea_Light.on = true;
  }
}

class SunriseRule extends Rule {
  triggers() {
    return [new SolarEventTrigger('sunrise')];
  }

  action() {
    this.things.Porch_Light.on = false;
  }
}

const WAKE = 'wake-rule';
const SUNRISE = 'sunrise-rule';

let s: Stack | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

function bedsideWrites(stack: Stack): boolean[] {
  const writes: boolean[] = [];
  stack.home.on('propertyChanged', ({ thingId, name, value }) => {
    if (thingId === 'bedside-ikea-light' && name === 'on') writes.push(value as boolean);
  });
  return writes;
}

test('an alarm due while the gateway is unreachable runs once when it is back within five minutes', async () => {
  s = await startStack({ start: '2027-06-15T06:27', rules: [[WakeRule, { id: WAKE }]] });
  const writes = bedsideWrites(s);

  await s.stopGateway();
  await s.keepDown(4 * 60_000);
  expect(s.clock.now().toFormat('HH:mm')).toBe('06:31');
  expect(writes).toEqual([]);
  await s.startGateway();

  expect(writes).toEqual([true]);
  expect(s.fired.map((f) => f.ruleId)).toEqual([WAKE]);
  expect(
    s.lines.count(
      /"at 06:30 every day" \(due 2027-06-15 06:30\) came due while the gateway was unreachable; running it now/
    )
  ).toBe(1);
  await s.clock.advance('23h');
  expect(s.fired).toHaveLength(1);
  await s.clock.advance('1h');
  expect(s.fired).toHaveLength(2);
});

test.each<[string, RuleSystemOptions['missedAlarmGrace'], boolean]>([
  ['is logged as missed and not run with the default five minutes', undefined, false],
  ['runs when the grace period is set to 30 minutes', '30m', true],
])('sunrise, back 15 minutes late, %s', async (_name, missedAlarmGrace, runs) => {
  s = await startStack({
    start: '2027-06-15T04:30',
    rules: [[SunriseRule, { id: SUNRISE }]],
    system: { missedAlarmGrace },
  });
  // Berlin's sunrise on 15 June 2027 is at 04:43 CEST (NOAA).
  const sunrise = s.system.rule(SUNRISE)!.nextFire!;
  expect(s.clock.now().toFormat('yyyy-MM-dd')).toBe('2027-06-15');
  s.home.setProperty('porch-light', 'on', true);
  await s.stopGateway();
  await s.keepDown(Date.parse(sunrise) - s.clock.nowMs() + 15 * 60_000);
  await s.startGateway();

  expect(s.home.getProperty('porch-light', 'on')).toBe(!runs);
  expect(s.fired).toHaveLength(runs ? 1 : 0);
  expect(
    s.lines.count(
      /missed "at sunrise" \(due 2027-06-15 04:4\d\): the gateway was unreachable, and it is now more than 5 minutes late/
    )
  ).toBe(runs ? 0 : 1);
});

describe('across restarts of the engine', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-missed-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One run of the engine from `start` to `until`, with the saved state as the add-on keeps it. */
  async function engineRun(start: string, until: string): Promise<number> {
    const store = new StateStore(
      path.join(dir, 'state.json'),
      new VirtualClock(start, 'Europe/Berlin')
    );
    expect(store.load()).toBeNull();
    const saved = store.get(WAKE);
    s = await startStack({
      start,
      rules: [[WakeRule, { id: WAKE, occurrences: saved?.occurrences }]],
      wire: (system) =>
        system.on(
          'occurrence',
          ({ ruleId, trigger, at }) => void store.setOccurrence(ruleId, trigger, at)
        ),
    });
    await s.clock.advanceTo(until);
    await store.flush();
    const runs = s.fired.length;
    expect(s.home.getProperty('bedside-ikea-light', 'on')).toBe(runs > 0);
    await s.stop();
    s = undefined;
    return runs;
  }

  test('an alarm that ran is not run again by a restart within the grace period', async () => {
    expect(await engineRun('2027-06-15T06:29', '2027-06-15T06:31')).toBe(1);
    expect(await engineRun('2027-06-15T06:32', '2027-06-15T06:40')).toBe(0);
  });

  test('an alarm due while the engine was down runs once at its start within the grace period, and never again', async () => {
    expect(await engineRun('2027-06-15T06:29', '2027-06-15T06:31')).toBe(1);
    // Down from before 06:30 on the next day until 06:33.
    expect(await engineRun('2027-06-16T06:33', '2027-06-16T06:34')).toBe(1);
    expect(await engineRun('2027-06-16T06:34', '2027-06-16T06:40')).toBe(0);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8'));
    expect(saved.rules[WAKE].occurrences).toEqual({
      'at 06:30 every day': '2027-06-16T04:30:00.000Z',
    });
  });

  test('an alarm more than the grace period late at the start is not run', async () => {
    expect(await engineRun('2027-06-15T06:29', '2027-06-15T06:31')).toBe(1);
    expect(await engineRun('2027-06-16T06:36', '2027-06-16T06:40')).toBe(0);
  });
});
