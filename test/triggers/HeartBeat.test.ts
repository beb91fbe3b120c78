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

  it('fires every two seconds from the moment it starts', async () => {
    const h = harness('2027-01-01T12:00:00');
    const { times } = record(new HeartBeat('2s'), h);
    await h.clock.advance('7s');
    expect(times()).toEqual(['2027-01-01 12:00:02', '2027-01-01 12:00:04', '2027-01-01 12:00:06']);
  });

  it('takes a bare number as seconds', async () => {
    const h = harness('2027-01-01T12:00:00');
    const { times } = record(new HeartBeat(90), h);
    await h.clock.advance('3m');
    expect(times()).toEqual(['2027-01-01 12:01:30', '2027-01-01 12:03:00']);
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

  it('restarts its rhythm from the moment its period setting changes', async () => {
    const h = harness('2027-01-01T12:00:00');
    const period = new Setting<string | number>('10s');
    const { times } = record(new HeartBeat(period), h);
    await h.clock.advance('15s');
    period.set('1m');
    await h.clock.advance('2m');
    expect(times()).toEqual(['2027-01-01 12:00:10', '2027-01-01 12:01:15', '2027-01-01 12:02:15']);
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

  it('previews the next beat as one period after the given instant before it starts', () => {
    const after = DateTime.fromISO('2027-01-01T12:00:00Z', { zone: 'UTC' });
    expect(new HeartBeat('2s').next(after)?.toISO()).toBe('2027-01-01T12:00:02.000Z');
  });

  it('describes itself in English', () => {
    expect(new HeartBeat('2s').describe()).toBe('every 2 seconds');
    expect(new HeartBeat(1).describe()).toBe('every second');
    expect(new HeartBeat('1h30m').describe()).toBe('every 1 hour 30 minutes');
  });
});
