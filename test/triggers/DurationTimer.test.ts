import { DurationTimer } from '../../src/triggers';
import { harness, record } from './helpers';

describe('DurationTimer', () => {
  it('switches on at start, off after the on-period, and on again after the off-period', async () => {
    const h = harness('2027-01-10T20:00');
    const { firings } = record(new DurationTimer({ on: '10m', off: '5m' }), h);
    await h.clock.advance('31m');
    expect(firings.map((f) => [f.at.slice(11), f.property, f.value])).toEqual([
      ['20:00:00', 'on', true],
      ['20:10:00', 'on', false],
      ['20:15:00', 'on', true],
      ['20:25:00', 'on', false],
      ['20:30:00', 'on', true],
    ]);
  });

  it('stops after the given number of repeats, ending off, with no timer left', async () => {
    const h = harness('2027-01-10T20:00');
    const { firings } = record(new DurationTimer({ on: '10m', off: '5m', repeats: 2 }), h);
    await h.clock.advance('1d');
    expect(firings.map((f) => `${f.at.slice(11)} ${f.value}`)).toEqual([
      '20:00:00 true',
      '20:10:00 false',
      '20:15:00 true',
      '20:25:00 false',
    ]);
    expect(h.clock.pending()).toBe(0);
  });

  it('goes on forever with repeats: Infinity', async () => {
    const h = harness('2027-01-10T20:00');
    const { firings } = record(new DurationTimer({ on: '1m', off: '1m', repeats: Infinity }), h);
    await h.clock.advance('10h');
    // a switch every minute, from 20:00 through 06:00 inclusive
    expect(firings).toHaveLength(601);
    expect(firings.at(-1)).toEqual({ at: '2027-01-11 06:00:00', property: 'on', value: true });
  });

  it('previews its switches over the next half hour', async () => {
    const h = harness('2027-01-10T20:00');
    const timer = new DurationTimer({ on: '10m', off: '5m', repeats: 1 });
    record(timer, h);
    const preview = timer.upcoming(h.clock.now(), h.clock.now().plus({ minutes: 30 }));
    expect(preview.map((o) => [o.at.toFormat('HH:mm'), o.value])).toEqual([['20:10', false]]);
  });

  it('rejects bad periods and repeats, naming them', () => {
    expect(() => new DurationTimer({ on: '0s', off: '5m' })).toThrow(/DurationTimer on: "0s"/);
    expect(() => new DurationTimer({ on: '1m', off: 'x' })).toThrow(/"x"/);
    expect(() => new DurationTimer({ on: '1m', off: '1m', repeats: 0 })).toThrow(/repeats: 0/);
    expect(() => new DurationTimer({ on: '1m', off: '1m', repeats: 1.5 })).toThrow(/repeats/);
  });

  it('describes itself in English', () => {
    expect(new DurationTimer({ on: '10m', off: '5m', repeats: 3 }).describe()).toBe(
      'on for 10 minutes, off for 5 minutes, 3 times'
    );
    expect(new DurationTimer({ on: '1h', off: '30m' }).describe()).toBe(
      'on for 1 hour, off for 30 minutes, repeatedly'
    );
  });
});
