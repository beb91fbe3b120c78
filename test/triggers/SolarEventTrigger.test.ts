import { DateTime } from 'luxon';
import * as SunCalc from 'suncalc';
import {
  ElevationTrigger,
  SOLAR_EVENT_NAMES,
  SOLAR_EVENTS,
  SolarEventTrigger,
} from '../../src/triggers';
import { BERLIN, harness, LONGYEARBYEN, local, minutesApart, record, TROMSO } from './helpers';

const berlinDay = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'Europe/Berlin' });
const osloDay = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'Europe/Oslo' });

// suncalc's getTimes solves the same elevation definitions in closed form: an independent check
// of the bisection. It knows −0.833, −6, −12, −18 and +6; −4 is added here.
SunCalc.addTime(-4, 'minus4Rising', 'minus4Setting');
const GET_TIMES_NAME: Record<string, [string, string]> = {
  '-0.833': ['sunrise', 'sunset'],
  '-6': ['dawn', 'dusk'],
  '-12': ['nauticalDawn', 'nauticalDusk'],
  '-18': ['nightEnd', 'night'],
  '6': ['goldenHourEnd', 'goldenHour'],
  '-4': ['minus4Rising', 'minus4Setting'],
};

function closedForm(name: keyof typeof SOLAR_EVENTS, day: DateTime): DateTime | null {
  const definition = SOLAR_EVENTS[name];
  const times = SunCalc.getTimes(
    day.set({ hour: 12 }).toJSDate(),
    BERLIN.latitude,
    BERLIN.longitude
  );
  let value: unknown;
  if (definition.kind === 'extremum') {
    value = definition.which === 'max' ? times.solarNoon : times.nadir;
  } else {
    const [morning, evening] = GET_TIMES_NAME[String(definition.degrees)];
    value = times[definition.direction === 'rising' ? morning : evening];
  }
  return value instanceof Date ? DateTime.fromJSDate(value).setZone(day.zone) : null;
}

describe('SolarEventTrigger', () => {
  it('finds Berlin sunrise and sunset on the June solstice within two minutes of NOAA', () => {
    const day = berlinDay('2027-06-21');
    // NOAA Solar Calculator, Berlin 52.52 N 13.405 E: sunrise 04:43, sunset 21:33 CEST.
    const sunrise = new SolarEventTrigger('sunrise').next(day, BERLIN)!;
    const sunset = new SolarEventTrigger('sunset').next(day, BERLIN)!;
    expect(minutesApart(sunrise, day.set({ hour: 4, minute: 43 }))).toBeLessThan(2);
    expect(minutesApart(sunset, day.set({ hour: 21, minute: 33 }))).toBeLessThan(2);
  });

  it('finds Berlin sunrise and sunset on the December solstice within two minutes of NOAA', () => {
    const day = berlinDay('2027-12-21');
    // NOAA: sunrise 08:15, sunset 15:54 CET.
    const sunrise = new SolarEventTrigger('sunrise').next(day, BERLIN)!;
    const sunset = new SolarEventTrigger('sunset').next(day, BERLIN)!;
    expect(minutesApart(sunrise, day.set({ hour: 8, minute: 15 }))).toBeLessThan(2);
    expect(minutesApart(sunset, day.set({ hour: 15, minute: 54 }))).toBeLessThan(2);
  });

  it.each(['2027-03-28', '2027-06-21', '2027-09-15', '2027-10-31', '2027-12-21'])(
    'agrees with the closed-form times for every registered event in Berlin on %s',
    (iso) => {
      const day = berlinDay(iso);
      for (const name of SOLAR_EVENT_NAMES) {
        const expected = closedForm(name, day);
        const found = new SolarEventTrigger(name).onDay(day, BERLIN);
        if (expected && expected.hasSame(day, 'day')) {
          // A 25-hour fall-back day can hold two solar midnights; one must match.
          const closest = Math.min(...found.map((instant) => minutesApart(instant, expected)));
          expect({ name, withinAMinute: closest < 1 }).toEqual({ name, withinAMinute: true });
        } else if (!expected) {
          expect({ name, found }).toEqual({ name, found: [] });
        }
      }
    }
  );

  it('skips astronomical dusk in Berlin around midsummer, when the sun never sinks to −18°', () => {
    // At 52.52° N the sun's lowest point is 90 − 52.52 − 23.44 = −14.0° at the solstice.
    const trigger = new SolarEventTrigger('astronomicalDusk');
    expect(trigger.onDay(berlinDay('2027-06-21'), BERLIN)).toEqual([]);
    const next = trigger.next(berlinDay('2027-06-01'), BERLIN)!;
    expect(next > berlinDay('2027-07-15')).toBe(true);
    expect(next < berlinDay('2027-08-05')).toBe(true);
  });

  it('fires at sunset each day when running in Berlin', async () => {
    const h = harness('2027-06-20T12:00');
    const { times } = record(new SolarEventTrigger('sunset'), h);
    await h.clock.advance('2d');
    expect(times().map((t) => t.slice(0, 16))).toEqual(['2027-06-20 21:33', '2027-06-21 21:33']);
  });

  it('fires ten minutes before civil dusk with offset "-10m", and an hour after sunrise with "1h"', async () => {
    const day = berlinDay('2027-06-21');
    const dusk = new SolarEventTrigger('civilDusk').next(day, BERLIN)!;
    const sunrise = new SolarEventTrigger('sunrise').next(day, BERLIN)!;

    const h = harness('2027-06-21T00:00');
    const before = record(new SolarEventTrigger('civilDusk', { offset: '-10m' }), h);
    const after = record(new SolarEventTrigger('sunrise', { offset: '1h' }), h);
    await h.clock.advance('1d');
    expect(before.times()).toEqual([local(dusk.minus({ minutes: 10 }))]);
    expect(after.times()).toEqual([local(sunrise.plus({ hours: 1 }))]);
  });

  it('finds an offset event whose base falls on the next day', () => {
    // Sunrise at ~04:43 with offset −6h lands on the previous evening.
    const trigger = new SolarEventTrigger('sunrise', { offset: '-6h' });
    const next = trigger.next(berlinDay('2027-06-20T20:00'), BERLIN)!;
    expect(local(next).slice(0, 15)).toBe('2027-06-20 22:4');
  });

  it('has no sunset in Tromsø in June and resumes in late July', () => {
    const sunset = new SolarEventTrigger('sunset');
    for (
      let day = osloDay('2027-06-01');
      day < osloDay('2027-07-01');
      day = day.plus({ days: 1 })
    ) {
      expect({ day: day.toISODate(), sunsets: sunset.onDay(day, TROMSO) }).toEqual({
        day: day.toISODate(),
        sunsets: [],
      });
    }
    const next = sunset.next(osloDay('2027-06-01'), TROMSO)!;
    expect(next > osloDay('2027-07-20')).toBe(true);
    expect(next < osloDay('2027-08-01')).toBe(true);
  });

  it('warns when started in the Tromsø midnight sun, saying when sunset next happens, then fires daily', async () => {
    const h = harness('2027-06-15T12:00', 'Europe/Oslo', TROMSO);
    const trigger = new SolarEventTrigger('sunset');
    const { times } = record(trigger, h);
    const next = trigger.nextFire()!;
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toContain('Sunset does not happen on 2027-06-15 at 69.65°N 18.96°E');
    expect(h.warnings[0]).toContain(`next: ${next.toFormat('yyyy-MM-dd HH:mm')} (at sunset)`);
    await h.clock.advanceTo('2027-07-01T00:00');
    expect(times()).toEqual([]);
    await h.clock.advanceTo('2027-08-10T00:00');
    expect(times()[0]).toBe(local(next));
    // once the nights return, sunsets come about a day apart (creeping from just after midnight
    // to just before it, so one local day has two)
    const instants = trigger.upcoming(next.minus({ seconds: 1 }), osloDay('2027-08-10'), TROMSO);
    expect(instants.map((o) => local(o.at))).toEqual(times());
    for (let i = 1; i < instants.length; i++) {
      const hours = instants[i].at.diff(instants[i - 1].at, 'hours').hours;
      expect(hours).toBeGreaterThan(23);
      expect(hours).toBeLessThan(25);
    }
    expect(times().length).toBeGreaterThan(10);
  });

  it('has no sunrise during the Svalbard polar night', () => {
    const next = new SolarEventTrigger('sunrise').next(osloDay('2027-11-15'), LONGYEARBYEN)!;
    // Longyearbyen's polar night lasts from late October to mid-February.
    expect(next > osloDay('2028-02-10')).toBe(true);
    expect(next < osloDay('2028-02-25')).toBe(true);
  });

  it('finds solar noon and midnight as the day’s highest and lowest sun', () => {
    const day = berlinDay('2027-06-21');
    const noon = new SolarEventTrigger('solarNoon').next(day, BERLIN)!;
    // Berlin is 13.405° E: mean noon 12:06:22 local mean time is 13:06 CEST; the equation of
    // time on 21 June adds about 1.7 minutes.
    expect(minutesApart(noon, day.set({ hour: 13, minute: 8 }))).toBeLessThan(2);
    const midnight = new SolarEventTrigger('solarMidnight').next(day, BERLIN)!;
    expect(minutesApart(midnight, day.set({ hour: 1, minute: 8 }))).toBeLessThan(2);
  });

  it('needs a place when previewed without running', () => {
    expect(() => new SolarEventTrigger('sunset').next(berlinDay('2027-06-21'))).toThrow(
      /at sunset: needs a place/
    );
  });

  it('uses its own place over the context’s when given one', async () => {
    const h = harness('2027-06-15T12:00', 'Europe/Oslo', BERLIN);
    const trigger = new SolarEventTrigger('sunset', { place: TROMSO });
    record(trigger, h);
    expect(trigger.nextFire()! > osloDay('2027-07-20')).toBe(true);
  });

  it('previews a week of sunsets', () => {
    const from = berlinDay('2027-06-21');
    const week = new SolarEventTrigger('sunset').upcoming(from, from.plus({ weeks: 1 }), BERLIN);
    expect(week.map((o) => o.at.toISODate())).toEqual([
      '2027-06-21',
      '2027-06-22',
      '2027-06-23',
      '2027-06-24',
      '2027-06-25',
      '2027-06-26',
      '2027-06-27',
    ]);
  });

  it('rejects an unknown event, listing the known ones', () => {
    expect(() => new SolarEventTrigger('dusky' as never)).toThrow(
      /Unknown solar event: "dusky" \(use one of sunrise, sunset, solarNoon/
    );
  });

  it('stops cleanly', () => {
    const h = harness('2027-06-20T12:00');
    const trigger = new SolarEventTrigger('sunrise');
    const { stop } = record(trigger, h);
    expect(h.clock.pending()).toBe(1);
    stop();
    expect(h.clock.pending()).toBe(0);
  });

  it('describes itself in English', () => {
    expect(new SolarEventTrigger('civilDusk', { offset: '-10m' }).describe()).toBe(
      '10 minutes before civil dusk'
    );
    expect(new SolarEventTrigger('sunset').describe()).toBe('at sunset');
    expect(new SolarEventTrigger('goldenHourEveningStart', { offset: '1h' }).describe()).toBe(
      '1 hour after the start of the evening golden hour'
    );
  });
});

describe('ElevationTrigger', () => {
  // suncalc's closed form for +3°, independent of the bisection.
  SunCalc.addTime(3, 'up3', 'down3');
  const day = berlinDay('2027-03-20');
  const times = SunCalc.getTimes(
    day.set({ hour: 12 }).toJSDate(),
    BERLIN.latitude,
    BERLIN.longitude
  );
  const up = DateTime.fromJSDate(times.up3 as Date);
  const down = DateTime.fromJSDate(times.down3 as Date);

  it('fires in the morning when rising through 3° and in the evening when setting', () => {
    const rising = new ElevationTrigger(3, 'rising').next(day, BERLIN)!;
    const setting = new ElevationTrigger(3, 'setting').next(day, BERLIN)!;
    expect(minutesApart(rising, up)).toBeLessThan(1);
    expect(minutesApart(setting, down)).toBeLessThan(1);
    expect(rising.hour).toBeLessThan(12);
    expect(setting.hour).toBeGreaterThan(12);
  });

  it('honours an offset', () => {
    const early = new ElevationTrigger(3, 'setting', { offset: '-15m' }).next(day, BERLIN)!;
    expect(minutesApart(early, down.minus({ minutes: 15 }))).toBeLessThan(1);
  });

  it('returns null, never a wrong time, for an elevation the sun does not reach within a year', () => {
    // Berlin's highest sun is 90 − 52.52 + 23.44 = 60.9°.
    expect(new ElevationTrigger(70, 'rising').next(day, BERLIN)).toBeNull();
  });

  it('warns that it will not fire when the elevation is never reached', () => {
    const h = harness('2027-03-20T12:00');
    const trigger = new ElevationTrigger(70, 'rising');
    record(trigger, h);
    expect(trigger.nextFire()).toBeNull();
    expect(h.clock.pending()).toBe(0);
    expect(h.warnings[0]).toMatch(
      /The sun rises above 70° does not happen at .* within a year of 2027-03-20; "when the sun rises above 70°" will not fire/
    );
  });

  it('rejects an impossible elevation or direction', () => {
    expect(() => new ElevationTrigger(95, 'rising')).toThrow(/Invalid elevation: 95/);
    expect(() => new ElevationTrigger(3, 'up' as never)).toThrow(/Invalid direction: "up"/);
  });

  it('describes itself in English', () => {
    expect(new ElevationTrigger(3, 'setting').describe()).toBe('when the sun sinks below 3°');
    expect(new ElevationTrigger(-2, 'rising').describe()).toBe('when the sun rises above -2°');
    expect(new ElevationTrigger(3, 'setting', { offset: '-10m' }).describe()).toBe(
      '10 minutes before the sun sinks below 3°'
    );
  });
});
