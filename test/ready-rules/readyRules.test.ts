/**
 * The ready-made rules shipped with the add-on, each in the simulated home on a virtual clock:
 * off until switched on, waiting for their things to be chosen, then doing what they say. Sun
 * times are checked against suncalc's own formulas (computed independently of ours).
 */
import path from 'path';
import * as SunCalc from 'suncalc';
import AutoOff from '../../ready-rules/auto-off';
import AwayLights from '../../ready-rules/away-lights';
import DuskToTime from '../../ready-rules/dusk-to-time';
import Follow from '../../ready-rules/follow';
import MotionNightLight from '../../ready-rules/motion-night-light';
import WakeUpFade from '../../ready-rules/wake-up-fade';
import type { Rule } from '../../src/engine/Rule';
import { RuleFolder } from '../../src/engine/RuleFolder';
import { READY_PREFIX } from '../../src/host/engineWorker';
import { BERLIN, harness } from '../engine/harness';

type RuleClass = new () => Rule;

/** A harness with one ready rule, started; its things chosen and the rule switched on when given. */
async function ready(rule: RuleClass, start: string, choose?: Record<string, string>) {
  const h = harness(start);
  h.system.addRule(rule, { id: 'ready' });
  await h.system.start();
  if (choose) {
    for (const [name, value] of Object.entries(choose)) h.system.setSetting('ready', name, value);
    await h.system.setEnabled('ready', true);
  }
  return h;
}

/** Where the clock stands, in Berlin time: "2027-06-14 21:59". */
function minuteOf(ms: number): string {
  return new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).slice(0, 16);
}

describe('every ready rule', () => {
  it('loads from the add-on’s own folder with ids of their own, off', async () => {
    const h = harness();
    const folder = new RuleFolder(h.system, path.join(__dirname, '../../ready-rules'), h.clock, {
      idPrefix: READY_PREFIX,
    });
    await folder.loadAll();
    expect(h.system.rules().map((r) => [r.id, r.title, r.enabled])).toEqual([
      ['ready-auto-off', 'Auto-off', false],
      ['ready-away-lights', 'Away lights', false],
      ['ready-dusk-to-time', 'Dusk to time', false],
      ['ready-follow', 'Follow', false],
      ['ready-motion-night-light', 'Motion night light', false],
      ['ready-wake-up-fade', 'Wake-up fade', false],
    ]);
  });

  it.each([
    ['Dusk to time', DuskToTime, 'choose a Light'],
    ['Wake-up fade', WakeUpFade, 'choose a Light'],
    ['Motion night light', MotionNightLight, 'choose a Motion sensor'],
    ['Follow', Follow, 'choose a Leader'],
    ['Auto-off', AutoOff, 'choose a Device'],
    ['Away lights', AwayLights, 'choose a Light'],
  ])('%s is off on a fresh install and says what to choose', async (_name, rule, status) => {
    const h = await ready(rule as RuleClass, '2027-06-14T08:00');
    expect(h.info('ready')).toMatchObject({ enabled: false, status, nextFire: null });
    await h.clock.advance('2d');
    expect(h.commands).toEqual([]);
  });
});

describe('Dusk to time', () => {
  it('turns the light on at the coming civil dusk and off at the set time', async () => {
    const h = await ready(DuskToTime, '2027-06-14T12:00', { light: 'porch-light' });
    const dusk = SunCalc.getTimes(
      new Date('2027-06-14T12:00:00Z'),
      BERLIN.latitude,
      BERLIN.longitude
    ).dusk!;
    const next = Date.parse(h.info('ready').nextFire!);
    expect(Math.abs(next - dusk.getTime())).toBeLessThan(2 * 60_000);
    expect(h.info('ready').description).toBe(
      'At civil dusk or at 23:00 every day, turn Porch Light on, and off at 23:00'
    );
    await h.clock.advanceTo(next);
    expect(h.home.getProperty('porch-light', 'on')).toBe(true);
    await h.clock.advanceTo(Date.parse('2027-06-14T23:00:00+02:00'));
    expect(h.home.getProperty('porch-light', 'on')).toBe(false);
    expect(h.commands).toEqual(['porch-light on=true', 'porch-light on=false']);
  });

  it('moves to another event and offset of the sun when they are changed', async () => {
    const h = await ready(DuskToTime, '2027-06-14T12:00', { light: 'porch-light' });
    h.system.setSetting('ready', 'event', 'sunset');
    h.system.setSetting('ready', 'offset', '-15m');
    const sunset = SunCalc.getTimes(
      new Date('2027-06-14T12:00:00Z'),
      BERLIN.latitude,
      BERLIN.longitude
    ).sunset!;
    const next = Date.parse(h.info('ready').nextFire!);
    expect(Math.abs(next - (sunset.getTime() - 15 * 60_000))).toBeLessThan(2 * 60_000);
  });
});

describe('Wake-up fade', () => {
  it('fades the light so that it is full at the wake time on weekdays', async () => {
    // Monday 14 June 2027.
    const h = await ready(WakeUpFade, '2027-06-14T05:00', { light: 'bedside-ikea-light' });
    expect(minuteOf(Date.parse(h.info('ready').nextFire!))).toBe('2027-06-14 06:10');
    await h.clock.advanceTo(Date.parse('2027-06-14T06:10:01+02:00'));
    expect(h.home.getProperty('bedside-ikea-light', 'on')).toBe(true);
    expect(h.home.getProperty('bedside-ikea-light', 'level')).toBeLessThan(5);
    await h.clock.advanceTo(Date.parse('2027-06-14T06:20:00+02:00'));
    expect(h.home.getProperty('bedside-ikea-light', 'level')).toBeGreaterThan(40);
    expect(h.home.getProperty('bedside-ikea-light', 'level')).toBeLessThan(60);
    await h.clock.advanceTo(Date.parse('2027-06-14T06:30:00+02:00'));
    expect(h.home.getProperty('bedside-ikea-light', 'level')).toBe(100);
  });

  it('starts earlier for a longer fade, and on weekends only when told', async () => {
    const h = await ready(WakeUpFade, '2027-06-14T05:00', { light: 'bedside-ikea-light' });
    h.system.setSetting('ready', 'fadeDuration', '45m');
    expect(minuteOf(Date.parse(h.info('ready').nextFire!))).toBe('2027-06-14 05:45');
    h.system.setSetting('ready', 'days', 'weekends');
    expect(minuteOf(Date.parse(h.info('ready').nextFire!))).toBe('2027-06-19 05:45');
  });
});

/** The motion sensor reports (it is read-only: the device itself changes it). */
async function senses(h: ReturnType<typeof harness>, motion: boolean): Promise<void> {
  h.home.setProperty('motion-sensor', 'motion', motion);
  await h.settle();
}

describe('Motion night light', () => {
  const choose = { sensor: 'motion-sensor', light: 'porch-light' };

  it('turns the light on at motion after dark and off a while after the last motion', async () => {
    const h = await ready(MotionNightLight, '2027-06-14T23:30', choose);
    await senses(h, true);
    expect(h.home.getProperty('porch-light', 'on')).toBe(true);
    await senses(h, false);
    await h.clock.advance('3m');
    // Motion again: the wait starts over.
    await senses(h, true);
    await senses(h, false);
    await h.clock.advance('4m');
    expect(h.home.getProperty('porch-light', 'on')).toBe(true);
    await h.clock.advance('1m');
    expect(h.home.getProperty('porch-light', 'on')).toBe(false);
  });

  it('does nothing in daylight, and leaves a light alone that someone turned on', async () => {
    const h = await ready(MotionNightLight, '2027-06-14T12:00', choose);
    await senses(h, true);
    await senses(h, false);
    expect(h.commands).toEqual([]);
    await h.clock.advanceTo(Date.parse('2027-06-14T23:30:00+02:00'));
    await h.userSets('porch-light', 'on', true);
    await senses(h, true);
    await senses(h, false);
    await h.clock.advance('10m');
    expect(h.home.getProperty('porch-light', 'on')).toBe(true);
    expect(h.commands).toEqual([]);
  });
});

describe('Follow', () => {
  it('copies on/off, brightness and colour from the leader to the follower', async () => {
    const h = await ready(Follow, '2027-06-14T12:00', {
      leader: 'philips-hue-01',
      follower: 'philips-hue-02',
    });
    await h.userSets('philips-hue-01', 'on', true);
    await h.userSets('philips-hue-01', 'level', 40);
    await h.userSets('philips-hue-01', 'color', '#00ff00');
    expect(h.home.values('philips-hue-02')).toMatchObject({
      on: true,
      level: 40,
      color: '#00ff00',
    });
  });

  it('settles when two Follow rules follow each other, without a loop pause', async () => {
    const h = harness('2027-06-14T12:00');
    h.system.addRule(Follow, {
      id: 'a-to-b',
      enabled: true,
      settings: { leader: 'philips-hue-01', follower: 'philips-hue-02' },
    });
    h.system.addRule(Follow, {
      id: 'b-to-a',
      enabled: true,
      settings: { leader: 'philips-hue-02', follower: 'philips-hue-01' },
    });
    await h.system.start();
    await h.userSets('philips-hue-01', 'level', 70);
    await h.clock.advance('1m');
    await h.userSets('philips-hue-02', 'on', true);
    await h.clock.advance('1m');
    expect(h.home.values('philips-hue-01')).toMatchObject({ on: true, level: 70 });
    expect(h.home.values('philips-hue-02')).toMatchObject({ on: true, level: 70 });
    expect(h.commands).toEqual(['philips-hue-02 level=70', 'philips-hue-01 on=true']);
    expect(h.info('a-to-b').status).toBe('ok');
    expect(h.info('b-to-a').status).toBe('ok');
  });
});

describe('Auto-off', () => {
  it('turns the thing off a while after it was turned on, unless it was turned off before', async () => {
    const h = await ready(AutoOff, '2027-06-14T12:00', { device: 'kettle' });
    await h.userSets('kettle', 'on', true);
    await h.clock.advance('9m');
    expect(h.home.getProperty('kettle', 'on')).toBe(true);
    await h.clock.advance('1m');
    expect(h.home.getProperty('kettle', 'on')).toBe(false);
    await h.userSets('kettle', 'on', true);
    await h.clock.advance('5m');
    await h.userSets('kettle', 'on', false);
    await h.clock.advance('1h');
    expect(h.commands).toEqual(['kettle on=false']);
  });
});

describe('Away lights', () => {
  it('switches the light at random from sunset until the set time, then leaves it off', async () => {
    const h = await ready(AwayLights, '2027-06-14T12:00', { light: 'porch-light' });
    const sunset = SunCalc.getTimes(
      new Date('2027-06-14T12:00:00Z'),
      BERLIN.latitude,
      BERLIN.longitude
    ).sunset!;
    const switches: number[] = [];
    h.home.on('propertyChanged', ({ thingId }: { thingId: string }) => {
      if (thingId === 'porch-light') switches.push(h.clock.nowMs());
    });
    const end = Date.parse('2027-06-14T23:30:00+02:00');
    await h.clock.advanceTo(Date.parse('2027-06-15T12:00:00+02:00'));
    expect(switches.length).toBeGreaterThanOrEqual(3);
    expect(Math.abs(switches[0] - sunset.getTime())).toBeLessThan(2 * 60_000);
    for (const [i, at] of switches.entries()) {
      expect(at).toBeLessThanOrEqual(end);
      if (i > 0 && at < end) expect(at - switches[i - 1]).toBeGreaterThanOrEqual(10 * 60_000);
    }
    expect(h.home.getProperty('porch-light', 'on')).toBe(false);
  });
});
