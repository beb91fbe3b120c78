/**
 * Issue 6, point 10: one simulated week (Wednesday 24 to Wednesday 31 March 2027, Europe/Berlin,
 * clocks spring forward on Sunday the 28th) with every example rule running against the
 * simulator's LocalGateway and random presses, motion and light changes: timers, listeners and
 * memory stay bounded, and every alarm fires exactly once at its local time, computed here
 * independently of the triggers.
 */
import path from 'path';
import v8 from 'v8';
import vm from 'vm';
import { DateTime } from 'luxon';
import SunCalc from 'suncalc';
import { AbsoluteTimeTrigger, Rule } from 'rule-things';
import { VirtualClock } from '../../src/clock';
import type { GatewayEvents } from '../../src/protocol/gateway';
import { listRuleFiles, loadRuleFile } from '../../src/engine/loadRules';
import type { FiringRecord } from '../../src/engine/messages';
import { RuleSystem } from '../../src/engine/RuleSystem';
import { LocalGateway, seedHome } from '../../src/simulator';
import type { HomeEvents } from '../../src/simulator';
import { BERLIN } from './stack';

const ZONE = 'Europe/Berlin';
const EXAMPLES = path.resolve(__dirname, '../../examples');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** The alarm of the night the clocks spring forward: 02:30 does not exist on the 28th. */
class NightAlarmRule extends Rule {
  triggers() {
    return [new AbsoluteTimeTrigger('02:30')];
  }

  action() {
    this.things.Kettle.on = true;
  }
}

/**
 * The rainbow turns every 4 s rather than its default 2 s, as a user may set it. With the bonded
 * bulbs fighting it over four of its bulbs, each turn is 13 rule runs and 21 writes: the week is
 * still 151,200 turns (about 2 million runs), in half the time, and the heap bound below is halved
 * with it, so a leak of the same size per turn is caught as before.
 */
const SETTINGS: Record<string, Record<string, string>> = { rainbow: { period: '4s' } };
const HEAP_GROWTH_LIMIT = 15 * 1024 * 1024;

/** A small seeded generator, so a failing week can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function local(day: DateTime, hour: number, minute: number): string {
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone: ZONE }
  ).toISO()!;
}

test('a week of the examples with random events: bounded timers, listeners and memory, every alarm once at its local time', async () => {
  const clock = new VirtualClock('2027-03-24T00:00', ZONE);
  const home = seedHome(clock);
  const gateway = new LocalGateway(home, clock);
  const problems: string[] = [];
  const system = new RuleSystem({
    gateway,
    clock,
    place: BERLIN,
    log: (level, message) => {
      if (level === 'error') problems.push(message);
    },
  });
  // Only the alarms' firings are kept: the rainbow alone fires 151,200 times in a week.
  const fired: FiringRecord[] = [];
  system.on('fired', (record) => {
    // Alarms only: "at 06:30", or "20 minutes before 06:30" for a fade that ends at its alarm.
    if (/^at |^\S+ \S+ before /.test(record.trigger)) fired.push(record);
  });
  for (const file of listRuleFiles(EXAMPLES)) {
    for (const rule of loadRuleFile(EXAMPLES, file).rules) {
      system.addRule(rule.ruleClass, {
        id: rule.id,
        file,
        enabled: true,
        settings: SETTINGS[rule.id],
      });
    }
  }
  system.addRule(NightAlarmRule, { id: 'night-alarm' });
  await system.start();

  // A person and the devices, at random moments a few minutes apart.
  const next = random(20270324);
  const bulbs = ['philips-hue-01', 'philips-hue-05', 'porch-light'];
  const act = (): void => {
    const roll = next();
    if (roll < 0.3) home.press(next() < 0.5 ? 'Button 1' : 'Button 2');
    else if (roll < 0.6) home.setProperty('motion-sensor', 'motion', next() < 0.5);
    else home.writeProperty(bulbs[Math.floor(next() * bulbs.length)], 'on', next() < 0.5);
    clock.after(Math.floor(next() * 20 * 60_000), act);
  };
  clock.after(60_000, act);

  const gatewayEvents: (keyof GatewayEvents)[] = [
    'propertyChanged',
    'event',
    'thingAdded',
    'thingModified',
    'thingRemoved',
    'thingConnected',
    'connection',
    'warning',
  ];
  const homeEvents: (keyof HomeEvents)[] = [
    'propertyChanged',
    'event',
    'actionStatus',
    'thingAdded',
    'thingModified',
    'thingRemoved',
    'connected',
  ];
  const listeners = (): number =>
    gatewayEvents.reduce((n, e) => n + gateway.listenerCount(e), 0) +
    homeEvents.reduce((n, e) => n + home.listenerCount(e), 0);
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed;
  };

  const daily: { pending: number; listeners: number; heap: number }[] = [];
  for (let day = 0; day < 7; day++) {
    await clock.advance('1d');
    daily.push({ pending: clock.pending(), listeners: listeners(), heap: heap() });
  }

  expect(problems).toEqual([]);
  expect(system.rule('rainbow')!.settings.find((s) => s.name === 'period')!.value).toBe('4s');
  // Measured at each midnight: the same timers (give or take a fade or a random event), the same listeners.
  for (const { pending, listeners: count } of daily) {
    expect(pending).toBeLessThanOrEqual(daily[0].pending + 3);
    expect(count).toBe(daily[0].listeners);
  }
  expect(daily[6].heap - daily[0].heap).toBeLessThan(HEAP_GROWTH_LIMIT);

  const firedAt = (ruleId: string, trigger: RegExp): string[] =>
    fired
      .filter((f) => f.ruleId === ruleId && trigger.test(f.trigger))
      .map((f) => DateTime.fromISO(f.at, { zone: ZONE }).toISO()!);
  const days = Array.from({ length: 7 }, (_, i) =>
    DateTime.fromISO('2027-03-24', { zone: ZONE }).plus({ days: i })
  );
  const weekdays = days.filter((d) => d.weekday <= 5);
  const weekend = days.filter((d) => d.weekday > 5);

  expect(firedAt('morning-wake', /06:30/)).toEqual(days.map((d) => local(d, 6, 30)));
  expect(firedAt('morning-wake-weekday-weekend-wake', /06:30/)).toEqual(
    weekdays.map((d) => local(d, 6, 30))
  );
  expect(firedAt('morning-wake-weekday-weekend-wake', /07:30/)).toEqual(
    weekend.map((d) => local(d, 7, 30))
  );
  // The fade ends at the alarm (06:30 on weekdays, 07:30 at the weekend), so it starts 20 minutes before.
  expect(firedAt('morning-wake-morning-fade-wake', /before 06:30/)).toEqual(
    weekdays.map((d) => local(d, 6, 10))
  );
  expect(firedAt('morning-wake-morning-fade-wake', /before 07:30/)).toEqual(
    weekend.map((d) => local(d, 7, 10))
  );
  expect(firedAt('porch-light', /23:00/)).toEqual(days.map((d) => local(d, 23, 0)));
  // 02:30 does not exist on the 28th: that night's alarm rings once, at 03:30 CEST.
  expect(firedAt('night-alarm', /02:30/)).toEqual(
    days.map((d) => (d.day === 28 ? local(d, 3, 30) : local(d, 2, 30)))
  );
  expect(local(days[4], 3, 30)).toBe('2027-03-28T03:30:00.000+02:00');
  // Civil dusk from suncalc (NOAA's formulas), within two minutes, once a day.
  const dusks = firedAt('porch-light', /civil dusk/);
  expect(dusks).toHaveLength(7);
  dusks.forEach((at, i) => {
    const expected = SunCalc.getTimes(
      days[i].set({ hour: 12 }).toJSDate(),
      BERLIN.latitude,
      BERLIN.longitude
    ).dusk;
    expect(expected).not.toBeNull();
    expect(Math.abs(DateTime.fromISO(at).toMillis() - expected!.getTime())).toBeLessThan(
      2 * 60_000
    );
  });

  await system.stop();
}, 300_000);
