/** The week-ahead preview lists when time-triggered rules will fire, and the sun's rise and set, in the configured zone. */
import { DateTime } from 'luxon';
import { MorningFadeWakeRule, MorningWakeRule } from '../../examples/morning-wake';
import PorchLightRule from '../../examples/porch-light';
import RainbowRule from '../../examples/rainbow';
import ButtonKettleRule from '../../examples/button-kettle';
import { weekAhead } from '../../src/engine/preview';
import { harness } from './harness';

const ZONE = 'Europe/Berlin';

async function home() {
  // Monday 14 June 2027, 08:00 in Berlin.
  const h = harness('2027-06-14T08:00');
  h.system.addRule(MorningFadeWakeRule, { id: 'fade' });
  h.system.addRule(PorchLightRule, { id: 'porch' });
  h.system.addRule(RainbowRule, { id: 'rainbow' });
  h.system.addRule(ButtonKettleRule, { id: 'kettle' });
  h.system.addRule(MorningWakeRule, { id: 'off', enabled: false });
  await h.system.start();
  return h;
}

function local(iso: string): string {
  return DateTime.fromISO(iso, { setZone: true }).toFormat('ccc dd HH:mm');
}

describe('weekAhead', () => {
  it('lists the fade of the weekday and the weekend alarm over the coming seven days, in local time', async () => {
    const h = await home();
    const fade = weekAhead(h.system, h.clock.nowMs(), 7).filter((o) => o.ruleId === 'fade');
    expect(fade.map((o) => local(o.at))).toEqual([
      'Tue 15 06:10',
      'Wed 16 06:10',
      'Thu 17 06:10',
      'Fri 18 06:10',
      'Sat 19 07:10',
      'Sun 20 07:10',
      'Mon 21 06:10',
    ]);
    expect(fade[0]).toMatchObject({
      kind: 'rule',
      title: 'Morning Fade Wake',
      trigger: '20 minutes before 06:30 on weekdays',
    });
    expect(fade[0].at).toBe('2027-06-15T06:10:00.000+02:00');
  });

  it('lists the dusk of every day, between sunset and 23:00, and follows a changed setting', async () => {
    const h = await home();
    h.system.setSetting('porch', 'offTime', '23:30');
    const week = weekAhead(h.system, h.clock.nowMs(), 7);
    const porch = week.filter((o) => o.ruleId === 'porch');
    expect(porch).toHaveLength(14);
    const dusk = porch.filter((o) => o.trigger === 'at civil dusk');
    const sunset = week.filter((o) => o.kind === 'sun' && o.title === 'sunset');
    expect(dusk).toHaveLength(7);
    expect(sunset).toHaveLength(7);
    // Berlin's almanac: sunset about 21:31 CEST in mid-June, civil dusk some 45 minutes later.
    for (const [i, s] of sunset.entries()) {
      const at = DateTime.fromISO(s.at, { setZone: true });
      expect(at.zoneName).toBe('UTC+2');
      expect(Math.abs(at.hour * 60 + at.minute - (21 * 60 + 32))).toBeLessThanOrEqual(4);
      const duskAt = DateTime.fromISO(dusk[i].at);
      expect(duskAt.diff(at, 'minutes').minutes).toBeGreaterThan(30);
      expect(duskAt.diff(at, 'minutes').minutes).toBeLessThan(60);
    }
    expect(porch.filter((o) => o.trigger === 'at 23:30 every day').map((o) => local(o.at))[0]).toBe(
      'Mon 14 23:30'
    );
  });

  it('gives a trigger that fires all the time one line, and leaves out switched-off and thing-triggered rules', async () => {
    const h = await home();
    const week = weekAhead(h.system, h.clock.nowMs(), 7);
    expect(week.filter((o) => o.ruleId === 'rainbow')).toEqual([
      {
        at: '2027-06-14T08:00:02.000+02:00',
        kind: 'rule',
        ruleId: 'rainbow',
        title: 'Rainbow',
        trigger: 'every 2 seconds',
        repeating: true,
      },
    ]);
    expect(week.some((o) => o.ruleId === 'off' || o.ruleId === 'kettle')).toBe(false);
  });

  it('is in time order and keeps to the window', async () => {
    const h = await home();
    const from = h.clock.nowMs();
    const week = weekAhead(h.system, from, 7);
    const ms = week.map((o) => DateTime.fromISO(o.at).toMillis());
    expect(ms).toEqual([...ms].sort((a, b) => a - b));
    expect(ms[0]).toBeGreaterThan(from);
    expect(ms.at(-1)!).toBeLessThan(from + 7 * 86_400_000);
    expect(week.filter((o) => o.kind === 'sun' && o.title === 'sunrise')).toHaveLength(7);
  });

  it('ends a week that crosses the change to winter time at the same wall time', async () => {
    const h = harness('2027-10-28T12:00');
    h.system.addRule(MorningWakeRule, { id: 'wake', enabled: true });
    await h.system.start();
    const week = weekAhead(h.system, h.clock.nowMs(), 7).filter((o) => o.ruleId === 'wake');
    expect(week.map((o) => o.at)).toEqual([
      '2027-10-29T06:30:00.000+02:00',
      '2027-10-30T06:30:00.000+02:00',
      '2027-10-31T06:30:00.000+01:00',
      '2027-11-01T06:30:00.000+01:00',
      '2027-11-02T06:30:00.000+01:00',
      '2027-11-03T06:30:00.000+01:00',
      '2027-11-04T06:30:00.000+01:00',
    ]);
    expect(h.system.zone).toBe(ZONE);
  });
});
