import { DateTime } from 'luxon';
import { AbsoluteTimeTrigger, parseTimeOfDay } from '../../src/triggers';
import { harness, local, record, Setting } from './helpers';

describe('AbsoluteTimeTrigger', () => {
  it("accepts pywot's signature with a name first, as the seed writes it", async () => {
    const h = harness('2027-01-10T06:00');
    const trigger = new AbsoluteTimeTrigger('morning_wake_trigger', '06:30:00');
    expect(trigger.name).toBe('morning_wake_trigger');
    const { times } = record(trigger, h);
    await h.clock.advance('1h');
    expect(times()).toEqual(['2027-01-10 06:30:00']);
    expect(new AbsoluteTimeTrigger('wake', '07:00', { days: 'weekends' }).describe()).toBe(
      'at 07:00 on weekends'
    );
  });

  it('fires "before" the time, on the days of the time itself, and follows both settings', async () => {
    const h = harness('2027-06-13T12:00'); // a Sunday
    const alarm = new Setting('00:10');
    const fade = new Setting('20m');
    const trigger = new AbsoluteTimeTrigger(alarm, { days: ['mon'], before: fade });
    expect(trigger.describe()).toBe('20 minutes before 00:10 on Mon');
    const { times } = record(trigger, h);
    await h.clock.advance('1d');
    expect(times()).toEqual(['2027-06-13 23:50:00']);
    alarm.set('06:30');
    fade.set('1h');
    await h.clock.advance('7d');
    expect(times()).toEqual(['2027-06-13 23:50:00', '2027-06-21 05:30:00']);
    expect(() => new AbsoluteTimeTrigger('06:30', { before: '25h' })).toThrow(
      /Invalid "before" of AbsoluteTimeTrigger: "25h" \(use a duration under a day/
    );
  });

  it('is full at 03:00 on the spring-forward night: "20m before 03:00" fires 01:40 real time', async () => {
    const h = harness('2027-03-27T12:00');
    const { times } = record(new AbsoluteTimeTrigger('03:00', { before: '20m' }), h);
    await h.clock.advance('1d');
    // 03:00 CEST is 01:00 UTC; twenty minutes earlier is 01:40 CET.
    expect(times()).toEqual(['2027-03-28 01:40:00']);
  });

  it('fires at 06:30 local every day', async () => {
    const h = harness('2027-01-10T12:00');
    const { times } = record(new AbsoluteTimeTrigger('06:30'), h);
    await h.clock.advance('3d');
    expect(times()).toEqual(['2027-01-11 06:30:00', '2027-01-12 06:30:00', '2027-01-13 06:30:00']);
  });

  it('accepts seconds, as the seed wrote "06:30:00"', async () => {
    const h = harness('2027-01-10T06:00');
    const { firings } = record(new AbsoluteTimeTrigger('06:30:15'), h);
    await h.clock.advance('1h');
    expect(firings).toEqual([{ at: '2027-01-10 06:30:15', property: 'activated', value: true }]);
  });

  it('fires at 06:30 local on each day across the spring-forward and fall-back changes', async () => {
    const spring = harness('2027-03-27T00:00');
    const springFirings = record(new AbsoluteTimeTrigger('06:30'), spring);
    await spring.clock.advance('3d');
    expect(springFirings.times()).toEqual([
      '2027-03-27 06:30:00',
      '2027-03-28 06:30:00',
      '2027-03-29 06:30:00',
    ]);

    const fall = harness('2027-10-30T00:00');
    const fallFirings = record(new AbsoluteTimeTrigger('06:30'), fall);
    await fall.clock.advance('3d');
    expect(fallFirings.times()).toEqual([
      '2027-10-30 06:30:00',
      '2027-10-31 06:30:00',
      '2027-11-01 06:30:00',
    ]);
  });

  it('fires only on weekdays when told, through a DST weekend', async () => {
    // 2027-03-25 is a Thursday; clocks spring forward on Sunday 2027-03-28.
    const h = harness('2027-03-25T00:00');
    const { times } = record(new AbsoluteTimeTrigger('06:30', { days: 'weekdays' }), h);
    await h.clock.advance('7d');
    expect(times()).toEqual([
      '2027-03-25 06:30:00',
      '2027-03-26 06:30:00',
      '2027-03-29 06:30:00',
      '2027-03-30 06:30:00',
      '2027-03-31 06:30:00',
    ]);
  });

  it('fires only on weekends or on named days when told', async () => {
    const weekend = harness('2027-03-25T00:00');
    const w = record(new AbsoluteTimeTrigger('07:30', { days: 'weekends' }), weekend);
    await weekend.clock.advance('7d');
    expect(w.times()).toEqual(['2027-03-27 07:30:00', '2027-03-28 07:30:00']);

    const named = harness('2027-03-25T00:00');
    const n = record(new AbsoluteTimeTrigger('07:30', { days: ['mon', 'fri'] }), named);
    await named.clock.advance('7d');
    expect(n.times()).toEqual(['2027-03-26 07:30:00', '2027-03-29 07:30:00']);
  });

  it('rings a 02:30 alarm once, at 03:30 CEST, on the night clocks spring forward', async () => {
    const h = harness('2027-03-27T12:00');
    const trigger = new AbsoluteTimeTrigger('02:30');
    const fired: string[] = [];
    trigger.subscribe(h.context, () => fired.push(h.clock.now().toUTC().toISO()!));
    await h.clock.advance('2d');
    // 02:30 does not exist on 2027-03-28 in Berlin: luxon bumps it to 03:30 CEST = 01:30 UTC.
    expect(fired).toEqual(['2027-03-28T01:30:00.000Z', '2027-03-29T00:30:00.000Z']);
  });

  it('rings a 02:30 alarm once, at its first occurrence, on the night clocks fall back in Berlin', async () => {
    const h = harness('2027-10-30T12:00');
    const fired: string[] = [];
    new AbsoluteTimeTrigger('02:30').subscribe(h.context, () =>
      fired.push(h.clock.now().toUTC().toISO()!)
    );
    await h.clock.advance('2d');
    // 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET); only the first counts.
    expect(fired).toEqual(['2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z']);
  });

  it('rings a 01:30 alarm once on the night New York clocks fall back', async () => {
    const h = harness('2027-11-06T12:00', 'America/New_York');
    const fired: string[] = [];
    new AbsoluteTimeTrigger('01:30').subscribe(h.context, () =>
      fired.push(h.clock.now().toUTC().toISO()!)
    );
    await h.clock.advance('2d');
    // 01:30 EDT is 05:30 UTC; the second 01:30 (EST, 06:30 UTC) does not ring again.
    expect(fired).toEqual(['2027-11-07T05:30:00.000Z', '2027-11-08T06:30:00.000Z']);
  });

  it('does not ring on the fall-back night when started during the repeated hour', async () => {
    // 01:35 UTC is 02:35 CET: after both the first 02:30 (00:30 UTC) and the second (01:30 UTC).
    const h = harness('2027-10-31T01:35:00Z', 'Europe/Berlin');
    const { firings } = record(new AbsoluteTimeTrigger('02:30'), h);
    await h.clock.advance('12h');
    expect(firings).toEqual([]);
  });

  it('re-arms at once when its alarm-time setting moves earlier', async () => {
    const h = harness('2027-01-10T05:00');
    const alarm = new Setting('06:30');
    const trigger = new AbsoluteTimeTrigger(alarm, { days: 'daily' });
    const { times } = record(trigger, h);
    expect(local(trigger.nextFire()!)).toBe('2027-01-10 06:30:00');
    alarm.set('05:30');
    expect(local(trigger.nextFire()!)).toBe('2027-01-10 05:30:00');
    await h.clock.advance('2h');
    expect(times()).toEqual(['2027-01-10 05:30:00']);
    expect(trigger.describe()).toBe('at 05:30 every day');
  });

  it('moves to tomorrow when its setting moves to a time already past today', async () => {
    const h = harness('2027-01-10T05:00');
    const alarm = new Setting('06:30');
    const trigger = new AbsoluteTimeTrigger(alarm);
    record(trigger, h);
    alarm.set('04:45');
    expect(local(trigger.nextFire()!)).toBe('2027-01-11 04:45:00');
    expect(h.clock.pending()).toBe(1);
  });

  it('keeps the last good time and warns when its setting becomes invalid', async () => {
    const h = harness('2027-01-10T05:00');
    const alarm = new Setting('06:30');
    const trigger = new AbsoluteTimeTrigger(alarm);
    const { times } = record(trigger, h);
    alarm.set('25:99');
    await h.clock.advance('2h');
    expect(times()).toEqual(['2027-01-10 06:30:00']);
    expect(h.warnings[0]).toMatch(/"25:99".*HH:MM or HH:MM:SS \(24-hour\).*keeps 06:30/);
  });

  it.each([
    ['"25:99"', '25:99'],
    ['"6:3"', '6:3'],
    ['an empty string', ''],
    ['"6:30"', '6:30'],
    ['"06:30:60"', '06:30:60'],
    ['" 06:30"', ' 06:30'],
    ['"06-30"', '06-30'],
    ['"24:00"', '24:00'],
    ['a 10,000-character string', 'x'.repeat(10_000)],
  ])('rejects %s with a short message naming the value and the allowed form', (_label, bad) => {
    expect(() => new AbsoluteTimeTrigger(bad)).toThrow('HH:MM or HH:MM:SS (24-hour)');
    let message = '';
    try {
      parseTimeOfDay(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(JSON.stringify(bad.slice(0, 40)).slice(0, -1));
    expect(message.length).toBeLessThan(200);
  });

  it('rejects values that are not strings', () => {
    expect(() => parseTimeOfDay(630)).toThrow('Invalid time of day: "630"');
    expect(() => parseTimeOfDay(undefined)).toThrow('HH:MM or HH:MM:SS (24-hour)');
  });

  it('rejects unknown or empty day lists', () => {
    expect(() => new AbsoluteTimeTrigger('06:30', { days: [] })).toThrow(/Invalid days/);
    expect(() => new AbsoluteTimeTrigger('06:30', { days: ['mon', 'funday' as never] })).toThrow(
      /Invalid day: "funday"/
    );
  });

  it('is pure: next() reads no clock and answers in the zone it is given', () => {
    const trigger = new AbsoluteTimeTrigger('06:30', { days: 'weekdays' });
    // Saturday 2027-01-09 12:00 in Tokyo: the next weekday 06:30 is Monday in Tokyo.
    const after = DateTime.fromISO('2027-01-09T12:00', { zone: 'Asia/Tokyo' });
    expect(trigger.next(after)?.toISO()).toBe('2027-01-11T06:30:00.000+09:00');
  });

  it('stops cleanly: no timers, no setting listeners, no next fire', () => {
    const h = harness('2027-01-10T05:00');
    const alarm = new Setting('06:30');
    const trigger = new AbsoluteTimeTrigger(alarm);
    const { stop } = record(trigger, h);
    expect(h.clock.pending()).toBe(1);
    stop();
    stop();
    expect(h.clock.pending()).toBe(0);
    expect(alarm.listenerCount).toBe(0);
    expect(trigger.nextFire()).toBeNull();
  });

  it('describes itself in English', () => {
    expect(new AbsoluteTimeTrigger('06:30', { days: 'weekdays' }).describe()).toBe(
      'at 06:30 on weekdays'
    );
    expect(new AbsoluteTimeTrigger('07:30').describe()).toBe('at 07:30 every day');
    expect(new AbsoluteTimeTrigger('07:30:15', { days: ['fri', 'mon', 'wed'] }).describe()).toBe(
      'at 07:30:15 on Mon, Wed and Fri'
    );
    expect(new AbsoluteTimeTrigger('09:00', { days: 'weekends' }).describe()).toBe(
      'at 09:00 on weekends'
    );
  });
});
