import { DateTime } from 'luxon';
import { MoonPhaseTrigger } from '../../src/triggers';
import { harness, minutesApart, record } from './helpers';

const utc = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'UTC' });

// Published instants (US Naval Observatory); suncalc's illumination model lands within ~1.5 h.
const TOLERANCE_MINUTES = 120;

describe('MoonPhaseTrigger', () => {
  it.each([
    ['new', '2024-04-08T18:21Z'],
    ['firstQuarter', '2024-04-15T19:13Z'],
    ['full', '2024-04-23T23:49Z'],
    ['lastQuarter', '2024-05-01T11:27Z'],
    ['full', '2025-03-14T06:55Z'],
    ['full', '2026-03-03T11:38Z'],
  ] as const)('finds the %s moon of %s', (phase, iso) => {
    const expected = utc(iso);
    const found = new MoonPhaseTrigger(phase).next(expected.minus({ days: 5 }))!;
    expect(minutesApart(found, expected)).toBeLessThan(TOLERANCE_MINUTES);
  });

  it('finds the next full moon a synodic month after the previous one', () => {
    const trigger = new MoonPhaseTrigger('full');
    const first = trigger.next(utc('2026-03-01T00:00Z'))!;
    const second = trigger.next(first)!;
    const days = second.diff(first, 'days').days;
    expect(days).toBeGreaterThan(29.2);
    expect(days).toBeLessThan(29.9);
  });

  it('fires at full moon when running, a day early with offset "-1d"', async () => {
    const h = harness('2026-03-01T00:00', 'Europe/Berlin');
    const atFull = record(new MoonPhaseTrigger('full'), h);
    const dayBefore = record(new MoonPhaseTrigger('full', { offset: '-1d' }), h);
    await h.clock.advance('5d');
    expect(atFull.times()).toHaveLength(1);
    const fullAt = DateTime.fromFormat(atFull.times()[0], 'yyyy-MM-dd HH:mm:ss', {
      zone: 'Europe/Berlin',
    });
    expect(minutesApart(fullAt, utc('2026-03-03T11:38Z'))).toBeLessThan(TOLERANCE_MINUTES);
    expect(dayBefore.times()).toEqual([fullAt.minus({ days: 1 }).toFormat('yyyy-MM-dd HH:mm:ss')]);
  });

  it('rejects an unknown phase', () => {
    expect(() => new MoonPhaseTrigger('blue' as never)).toThrow(
      /Unknown moon phase: "blue" \(use one of new, firstQuarter, full, lastQuarter\)/
    );
  });

  it('describes itself in English', () => {
    expect(new MoonPhaseTrigger('full').describe()).toBe('at full moon');
    expect(new MoonPhaseTrigger('new', { offset: '-12h' }).describe()).toBe(
      '12 hours before new moon'
    );
  });
});
