import { DateTime } from 'luxon';
import { VirtualClock } from '../../src/clock';
import { Sun } from '../../src/triggers';
import { BERLIN, minutesApart, TROMSO } from './helpers';

function sunAt(iso: string, zone = 'Europe/Berlin', place = BERLIN): Sun {
  return new Sun(new VirtualClock(iso, zone), place);
}

describe('Sun', () => {
  it('is up at noon and down at midnight in Berlin', () => {
    expect(sunAt('2027-06-21T13:00').isUp()).toBe(true);
    expect(sunAt('2027-06-21T00:30').isUp()).toBe(false);
  });

  it('stands 60.9° high in the south at Berlin’s solar noon on the solstice', () => {
    // 90° − 52.52° latitude + 23.44° declination
    const sun = sunAt('2027-06-21T13:08');
    expect(Math.abs(sun.elevation - 60.92)).toBeLessThan(0.2);
    expect(Math.abs(sun.azimuth - 180)).toBeLessThan(1);
  });

  it('rises in the north-east on the solstice', () => {
    const sun = sunAt('2027-06-21T04:43');
    expect(sun.azimuth).toBeGreaterThan(40);
    expect(sun.azimuth).toBeLessThan(55);
    expect(Math.abs(sun.elevation + 0.833)).toBeLessThan(0.3);
  });

  it('is between civil dusk and sunrise across midnight, and not by day', () => {
    expect(sunAt('2027-06-21T02:00').between('civilDusk', 'sunrise')).toBe(true);
    expect(sunAt('2027-06-21T23:00').between('civilDusk', 'sunrise')).toBe(true);
    expect(sunAt('2027-06-21T12:00').between('civilDusk', 'sunrise')).toBe(false);
    expect(sunAt('2027-06-21T22:00').between('civilDusk', 'sunrise')).toBe(false);
  });

  it('mixes solar events with clock times: from sunset until 23:00', () => {
    expect(sunAt('2027-06-21T22:00').between('sunset', '23:00')).toBe(true);
    expect(sunAt('2027-06-21T23:30').between('sunset', '23:00')).toBe(false);
    expect(sunAt('2027-06-21T21:00').between('sunset', '23:00')).toBe(false);
  });

  it('is never between sunset and sunrise in the Tromsø midnight sun', () => {
    const sun = sunAt('2027-06-21T00:30', 'Europe/Oslo', TROMSO);
    expect(sun.isUp()).toBe(true);
    expect(sun.between('sunset', 'sunrise')).toBe(false);
  });

  it('tells when the next sunset is, within two minutes of NOAA', () => {
    const next = sunAt('2027-06-21T12:00').next('sunset')!;
    expect(
      minutesApart(next, DateTime.fromISO('2027-06-21T21:33', { zone: 'Europe/Berlin' }))
    ).toBeLessThan(2);
    expect(sunAt('2027-06-21T12:00').previous('sunrise')!.toFormat('HH:mm')).toBe('04:43');
  });

  it('rejects an unknown event name or a malformed time', () => {
    const sun = sunAt('2027-06-21T12:00');
    expect(() => sun.between('dusky', 'sunrise')).toThrow(/Unknown solar event: "dusky"/);
    expect(() => sun.next('7:00')).toThrow(/HH:MM or HH:MM:SS/);
  });
});
