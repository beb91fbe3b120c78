import { DateTime } from 'luxon';
import { rahukaal, RahukaalTrigger } from '../../src/triggers';
import { BERLIN, harness, local, minutesApart, record, TROMSO } from './helpers';

const berlin = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'Europe/Berlin' });

describe('RahukaalTrigger', () => {
  // NOAA, Berlin, 2027-06-20 and 21: sunrise 04:43, sunset 21:33 CEST: 1010 minutes of
  // daylight, so one eighth is 126.25 minutes.
  it('puts Monday’s Rahu Kaal in the second eighth of daylight', () => {
    const monday = berlin('2027-06-21');
    const period = rahukaal(monday, BERLIN)!;
    expect(minutesApart(period.start, berlin('2027-06-21T06:49:15'))).toBeLessThan(2);
    expect(minutesApart(period.end, berlin('2027-06-21T08:55:30'))).toBeLessThan(2);
  });

  it('puts Sunday’s Rahu Kaal in the last eighth, ending at sunset', () => {
    const period = rahukaal(berlin('2027-06-20'), BERLIN)!;
    expect(minutesApart(period.start, berlin('2027-06-20T19:26:45'))).toBeLessThan(2);
    expect(minutesApart(period.end, berlin('2027-06-20T21:33'))).toBeLessThan(2);
  });

  it.each([
    ['Tuesday', '2027-06-22', 7],
    ['Wednesday', '2027-06-23', 5],
    ['Thursday', '2027-06-24', 6],
    ['Friday', '2027-06-25', 4],
    ['Saturday', '2027-06-26', 3],
  ])('puts %s’s Rahu Kaal in eighth number %i', (_name, iso, segment) => {
    const day = berlin(iso);
    const period = rahukaal(day, BERLIN)!;
    // Daylight is within a minute of the solstice's 04:43–21:33 all that week.
    const start = berlin(`${iso}T04:43`).plus({ minutes: (segment - 1) * 126.25 });
    expect(minutesApart(period.start, start)).toBeLessThan(3);
    expect(Math.abs(period.end.diff(period.start, 'minutes').minutes - 126.25)).toBeLessThan(2);
  });

  it('fires at the start and at the end when running', async () => {
    const h = harness('2027-06-21T00:00');
    const start = record(new RahukaalTrigger('start'), h);
    const end = record(new RahukaalTrigger('end'), h);
    await h.clock.advance('1d');
    const period = rahukaal(berlin('2027-06-21'), BERLIN)!;
    expect(start.times()).toEqual([local(period.start)]);
    expect(end.times()).toEqual([local(period.end)]);
  });

  it('is skipped on days without sunset, as in the Tromsø midnight sun', () => {
    const oslo = DateTime.fromISO('2027-06-21', { zone: 'Europe/Oslo' });
    expect(rahukaal(oslo, TROMSO)).toBeNull();
    expect(new RahukaalTrigger('start').next(oslo, TROMSO)!.month).toBe(7);
  });

  it('describes itself in English', () => {
    expect(new RahukaalTrigger('start').describe()).toBe('at the start of Rahu Kaal');
    expect(new RahukaalTrigger('end', { offset: '-5m' }).describe()).toBe(
      '5 minutes before the end of Rahu Kaal'
    );
  });
});
