/** Tests of the timeline's calendar lines: clock changes both ways, and days on which the sun does not set. */
import { DateTime } from 'luxon';
import {
  dstEntries,
  formatTimeline,
  sunEntries,
  TimelineWindow,
} from '../../src/authoring/timeline';

function window(
  from: string,
  days: number,
  zone: string,
  place?: TimelineWindow['place']
): TimelineWindow {
  const start = DateTime.fromISO(from, { zone });
  return { from: start, until: start.plus({ days }), zone, place };
}

describe('dstEntries', () => {
  it('finds the fall-back night of Europe/Berlin at 01:00 UTC on 31 October 2027', () => {
    const entries = dstEntries(window('2027-10-30T00:00', 3, 'Europe/Berlin'));
    expect(entries.map((e) => [DateTime.fromISO(e.at).toMillis(), e.text])).toEqual([
      [
        Date.UTC(2027, 9, 31, 1, 0),
        'clocks go back one hour: 03:00 becomes 02:00 (UTC+02:00 → UTC+01:00)',
      ],
    ]);
  });

  it('finds nothing in a zone without daylight saving time', () => {
    expect(dstEntries(window('2027-03-20T00:00', 30, 'Asia/Tokyo'))).toEqual([]);
  });

  it("finds Lord Howe Island's half-hour change", () => {
    const entries = dstEntries(window('2027-10-01T00:00', 7, 'Australia/Lord_Howe'));
    expect(entries.map((e) => e.text)).toEqual([
      'clocks go forward 30 minutes: 02:00 becomes 02:30 (UTC+10:30 → UTC+11:00)',
    ]);
  });
});

describe('sunEntries', () => {
  it('says there is no sunrise or sunset in Tromsø at midsummer instead of inventing one', () => {
    const tromso = { latitude: 69.65, longitude: 18.96 };
    const entries = sunEntries(window('2027-06-21T00:00', 1, 'Europe/Oslo', tromso));
    expect(entries.map((e) => e.text)).toEqual(['no sunrise today', 'no sunset today']);
  });

  it('shows the events asked for, in the order of the day once sorted', () => {
    const berlin = { latitude: 52.52, longitude: 13.405 };
    const entries = sunEntries(window('2027-03-26T00:00', 1, 'Europe/Berlin', berlin), [
      'civilDawn',
      'solarNoon',
    ]);
    expect(entries.map((e) => e.text)).toEqual(['civil dawn', 'solar noon']);
  });

  it('has no sun lines without a place', () => {
    expect(sunEntries(window('2027-03-26T00:00', 1, 'Europe/Berlin'))).toEqual([]);
  });
});

describe('formatTimeline', () => {
  it('heads each day with its offset and shows a clock change at its old wall time', () => {
    const w = window('2027-03-28T00:00', 1, 'Europe/Berlin');
    const text = formatTimeline(dstEntries(w), w, 'Title');
    expect(text).toBe(
      'Title\nSun 2027-03-28 00:00 to Mon 2027-03-29 00:00, Europe/Berlin\n\n' +
        'Sun 2027-03-28 (UTC+01:00 → UTC+02:00)\n' +
        '  02:00  clocks go forward one hour: 02:00 becomes 03:00 (UTC+01:00 → UTC+02:00)\n'
    );
  });
});
