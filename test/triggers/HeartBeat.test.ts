import { DateTime } from 'luxon';
import { HeartBeat } from '../../src/triggers';
import { harness, record, Setting } from './helpers';

describe('HeartBeat', () => {
  it("accepts pywot's (config, name, period) and (name, period) forms", async () => {
    const h = harness('2027-01-10T12:00');
    const beat = new (HeartBeat as unknown as new (...args: unknown[]) => HeartBeat)(
      { gateway: 'config' },
      'the heart',
      '2s'
    );
    expect(beat.name).toBe('the heart');
    expect(beat.periodMs).toBe(2000);
    expect(new HeartBeat('the heart', '5m').periodMs).toBe(300_000);
    const { times } = record(beat, h);
    await h.clock.advance('5s');
    expect(times()).toHaveLength(2);
  });

  it('fires every two seconds, on the even seconds', async () => {
    const h = harness('2027-01-01T12:00:01');
    const { times } = record(new HeartBeat('2s'), h);
    await h.clock.advance('6s');
    expect(times()).toEqual(['2027-01-01 12:00:02', '2027-01-01 12:00:04', '2027-01-01 12:00:06']);
  });

  it('takes a bare number as seconds', async () => {
    const h = harness('2027-01-01T12:00:00');
    const { times } = record(new HeartBeat(90), h);
    await h.clock.advance('3m');
    expect(times()).toEqual(['2027-01-01 12:01:30', '2027-01-01 12:03:00']);
  });

  it('beats on whole seconds when started in the middle of one: the first beat comes sooner than a period', async () => {
    const h = harness('2027-01-01T12:00:00.400');
    const { times } = record(new HeartBeat('1s'), h, 'HH:mm:ss.SSS');
    await h.clock.advance('3s');
    expect(times()).toEqual(['12:00:01.000', '12:00:02.000', '12:00:03.000']);
  });

  it('beats at :00, :05, :10 … when its period is five minutes, whenever it started', async () => {
    const h = harness('2027-01-01T12:03:20');
    const { times } = record(new HeartBeat('5m'), h);
    await h.clock.advance('12m');
    expect(times()).toEqual(['2027-01-01 12:05:00', '2027-01-01 12:10:00', '2027-01-01 12:15:00']);
  });

  it('starts a period that does not divide a day again at midnight, after a shorter last interval', async () => {
    const h = harness('2027-01-10T20:00:00');
    const { times } = record(new HeartBeat('7h'), h);
    await h.clock.advance('20h');
    // 00:00, 07:00, 14:00, 21:00, then midnight three hours later.
    expect(times()).toEqual([
      '2027-01-10 21:00:00',
      '2027-01-11 00:00:00',
      '2027-01-11 07:00:00',
      '2027-01-11 14:00:00',
    ]);
  });

  it('keeps an even cadence across the night clocks spring forward', async () => {
    const h = harness('2027-03-28T01:00:00');
    const { firings } = record(new HeartBeat('30m'), h);
    await h.clock.advance('2h');
    // 01:30 CET, then 02:00 CET is 03:00 CEST: four beats, half an hour of real time apart.
    expect(firings.map((f) => f.at)).toEqual([
      '2027-03-28 01:30:00',
      '2027-03-28 03:00:00',
      '2027-03-28 03:30:00',
      '2027-03-28 04:00:00',
    ]);
  });

  it('beats on the hour through the 23-hour and the 25-hour day (Europe/Berlin)', async () => {
    const spring = harness('2027-03-28T00:30:00');
    const { times: springTimes } = record(new HeartBeat('1h'), spring, 'HH:mm ZZ');
    await spring.clock.advance('3h');
    expect(springTimes()).toEqual(['01:00 +01:00', '03:00 +02:00', '04:00 +02:00']);

    const autumn = harness('2027-10-31T00:30:00');
    const { times: autumnTimes } = record(new HeartBeat('1h'), autumn, 'HH:mm ZZ');
    await autumn.clock.advance('24h');
    expect(autumnTimes().slice(0, 5)).toEqual([
      '01:00 +02:00',
      '02:00 +02:00',
      '02:00 +01:00',
      '03:00 +01:00',
      '04:00 +01:00',
    ]);
    // 24 beats from 01:00 to 23:00 (the 25-hour day has two 02:00s), every one on the hour.
    expect(autumnTimes()).toHaveLength(24);
    expect(autumnTimes().every((t) => /^\d\d:00 /.test(t))).toBe(true);
  });

  it('counts a 90-minute period in real time from midnight on the 23-hour day, an hour off its usual times after the change', async () => {
    const h = harness('2027-03-28T00:10:00');
    const { times } = record(new HeartBeat('90m'), h);
    await h.clock.advance('26h');
    // Midnight CET plus 3 h of real time is 04:00 CEST; the day ends 22.5 h in (23:30), so its
    // last interval is half an hour; the next day has its usual grid again (01:30, 03:00 …).
    expect(times().slice(0, 3)).toEqual([
      '2027-03-28 01:30:00',
      '2027-03-28 04:00:00',
      '2027-03-28 05:30:00',
    ]);
    expect(times().slice(-4)).toEqual([
      '2027-03-28 23:30:00',
      '2027-03-29 00:00:00',
      '2027-03-29 01:30:00',
      '2027-03-29 03:00:00',
    ]);
  });

  it('counts a period longer than a day from the Unix epoch (1970-01-01 00:00 UTC)', async () => {
    const h = harness('2027-01-01T12:00:00', 'UTC');
    const { times } = record(new HeartBeat('2d'), h);
    await h.clock.advance('4d');
    // 2027-01-01 is day 20,819 since the epoch: beats at the start of the even days.
    expect(times()).toEqual(['2027-01-02 00:00:00', '2027-01-04 00:00:00']);
  });

  it('moves to the grid of a new period when its setting changes', async () => {
    const h = harness('2027-01-01T12:00:00');
    const period = new Setting<string | number>('10s');
    const { times } = record(new HeartBeat(period), h);
    await h.clock.advance('15s');
    period.set('1m');
    await h.clock.advance('2m');
    expect(times()).toEqual(['2027-01-01 12:00:10', '2027-01-01 12:01:00', '2027-01-01 12:02:00']);
  });

  it('keeps its grid when stopped and started again, as an engine restart or a rule reload does', async () => {
    const h = harness('2027-01-01T12:00:00.300');
    const beat = new HeartBeat('2s');
    const first = record(beat, h, 'HH:mm:ss.SSS');
    await h.clock.advance('5s');
    first.stop();
    await h.clock.advance('500ms');
    const second = record(beat, h, 'HH:mm:ss.SSS');
    await h.clock.advance('3s');
    expect(first.times()).toEqual(['12:00:02.000', '12:00:04.000']);
    expect(second.times()).toEqual(['12:00:06.000', '12:00:08.000']);
  });

  it('keeps its last good period and warns once when the setting turns invalid', async () => {
    const h = harness('2027-01-01T12:00:00');
    const period = new Setting<string | number>('10s');
    const { times } = record(new HeartBeat(period), h);
    period.set('soon');
    await h.clock.advance('25s');
    expect(times()).toEqual(['2027-01-01 12:00:10', '2027-01-01 12:00:20']);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toContain('"soon"');
  });

  it('rejects a period that is not positive, naming it', () => {
    expect(() => new HeartBeat('0s')).toThrow(/Invalid HeartBeat period: "0s"/);
    expect(() => new HeartBeat('-2s')).toThrow(/positive duration/);
    expect(() => new HeartBeat('often')).toThrow(/often/);
  });

  it('previews the next beat as the next point of its grid before it starts, in the given zone', () => {
    const beat = new HeartBeat('2s');
    const at = (iso: string, zone = 'UTC') => beat.next(DateTime.fromISO(iso, { zone }))?.toISO();
    expect(at('2027-01-01T12:00:00Z')).toBe('2027-01-01T12:00:02.000Z');
    expect(at('2027-01-01T12:00:00.500Z')).toBe('2027-01-01T12:00:02.000Z');
    expect(at('2027-01-01T12:00:01Z')).toBe('2027-01-01T12:00:02.000Z');
    // The day's midnight is the zone's: the same instant has another seven-hour grid in New York.
    const sevenHours = new HeartBeat('7h');
    const after = DateTime.fromISO('2027-01-10T10:00:00Z');
    expect(sevenHours.next(after.setZone('Europe/Berlin'))?.toISO()).toBe(
      '2027-01-10T14:00:00.000+01:00'
    );
    expect(sevenHours.next(after.setZone('America/New_York'))?.toISO()).toBe(
      '2027-01-10T07:00:00.000-05:00'
    );
    expect(sevenHours.next(after.setZone('Europe/Berlin'))?.toISO()).toBe(
      '2027-01-10T14:00:00.000+01:00'
    );
  });

  it('describes itself in English', () => {
    expect(new HeartBeat('2s').describe()).toBe('every 2 seconds');
    expect(new HeartBeat(1).describe()).toBe('every second');
    expect(new HeartBeat('1h30m').describe()).toBe('every 1 hour 30 minutes');
  });
});
