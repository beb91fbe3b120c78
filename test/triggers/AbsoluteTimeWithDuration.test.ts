import { AbsoluteTimeWithDuration } from '../../src/triggers';
import { harness, record } from './helpers';

describe('AbsoluteTimeWithDuration', () => {
  it('reports active at the time and inactive once the duration has passed, each day', async () => {
    const h = harness('2027-01-10T12:00');
    const { firings } = record(new AbsoluteTimeWithDuration('22:00', '30m'), h);
    await h.clock.advance('2d');
    expect(firings.map((f) => `${f.at} ${f.property}=${f.value}`)).toEqual([
      '2027-01-10 22:00:00 active=true',
      '2027-01-10 22:30:00 active=false',
      '2027-01-11 22:00:00 active=true',
      '2027-01-11 22:30:00 active=false',
    ]);
  });

  it('closes a window that spans midnight on the next day', async () => {
    const h = harness('2027-01-10T12:00');
    const { times } = record(new AbsoluteTimeWithDuration('23:30', '1h'), h);
    await h.clock.advance('1d');
    expect(times()).toEqual(['2027-01-10 23:30:00', '2027-01-11 00:30:00']);
  });

  it('opens only on the days given', async () => {
    // 2027-01-08 is a Friday.
    const h = harness('2027-01-08T12:00');
    const { times } = record(new AbsoluteTimeWithDuration('22:00', '1h', { days: 'weekends' }), h);
    await h.clock.advance('3d');
    expect(times()).toEqual([
      '2027-01-09 22:00:00',
      '2027-01-09 23:00:00',
      '2027-01-10 22:00:00',
      '2027-01-10 23:00:00',
    ]);
  });

  it('reports active at once when started inside a window', async () => {
    const h = harness('2027-01-10T22:10');
    const { firings } = record(new AbsoluteTimeWithDuration('22:00', '30m'), h);
    await h.clock.advance('30m');
    expect(firings.map((f) => f.value)).toEqual([true, false]);
    expect(firings[1].at).toBe('2027-01-10 22:30:00');
  });

  it('lasts thirty minutes of real time across the fall-back hour', async () => {
    const h = harness('2027-10-30T12:00');
    const trigger = new AbsoluteTimeWithDuration('02:45', '30m');
    const utc: string[] = [];
    trigger.subscribe(h.context, () => utc.push(h.clock.now().toUTC().toFormat('HH:mm')));
    await h.clock.advance('1d');
    // First 02:45 is CEST (00:45 UTC); it closes 30 minutes later at 01:15 UTC (02:15 CET).
    expect(utc).toEqual(['00:45', '01:15']);
  });

  it('rejects a duration of zero or of a day or more', () => {
    expect(() => new AbsoluteTimeWithDuration('22:00', '0m')).toThrow(
      /Invalid window duration: "0m"/
    );
    expect(() => new AbsoluteTimeWithDuration('22:00', '24h')).toThrow(/under 23 hours/);
    expect(() => new AbsoluteTimeWithDuration('22:0', '1h')).toThrow(/HH:MM or HH:MM:SS/);
  });

  it('describes itself in English', () => {
    expect(new AbsoluteTimeWithDuration('22:00', '30m', { days: 'weekdays' }).describe()).toBe(
      'from 22:00 for 30 minutes on weekdays'
    );
  });
});
