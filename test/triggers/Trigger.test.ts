import {
  AbsoluteTimeTrigger,
  AbsoluteTimeWithDuration,
  DelayTimer,
  DurationTimer,
  ElevationTrigger,
  HeartBeat,
  MoonPhaseTrigger,
  RahukaalTrigger,
  SolarEventTrigger,
  TimeTrigger,
} from '../../src/triggers';
import { harness, local } from './helpers';

describe('every time trigger', () => {
  const kinds: [string, () => TimeTrigger][] = [
    ['HeartBeat', () => new HeartBeat('2s')],
    ['AbsoluteTimeTrigger', () => new AbsoluteTimeTrigger('06:30', { days: 'weekdays' })],
    ['AbsoluteTimeWithDuration', () => new AbsoluteTimeWithDuration('12:00', '2h')],
    ['DurationTimer', () => new DurationTimer({ on: '10m', off: '5m' })],
    ['SolarEventTrigger', () => new SolarEventTrigger('civilDusk', { offset: '-10m' })],
    ['ElevationTrigger', () => new ElevationTrigger(3, 'setting')],
    ['MoonPhaseTrigger', () => new MoonPhaseTrigger('full')],
    ['RahukaalTrigger', () => new RahukaalTrigger('start')],
  ];

  it.each(kinds)(
    '%s cancels every timer it armed when stopped, even mid-run',
    async (_name, make) => {
      // 13:00 on a Monday: inside the 12:00 window, between HeartBeats, before dusk
      const h = harness('2027-06-21T13:00');
      const trigger = make();
      const stop = trigger.subscribe(h.context, () => undefined);
      await h.clock.advance('3s');
      expect(h.clock.pending()).toBe(1);
      expect(trigger.nextFire()).not.toBeNull();
      stop();
      stop();
      expect(h.clock.pending()).toBe(0);
      expect(trigger.nextFire()).toBeNull();
    }
  );

  it('DelayTimer cancels its countdown when stopped', () => {
    const h = harness('2027-06-21T13:00');
    const timer = new DelayTimer('5m');
    const stop = timer.subscribe(h.context, () => undefined);
    timer.start();
    stop();
    expect(h.clock.pending()).toBe(0);
  });

  it('previews the week ahead with the same next() it runs on', async () => {
    const h = harness('2027-06-21T00:00');
    const trigger = new AbsoluteTimeTrigger('06:30', { days: 'weekdays' });
    const from = h.clock.now();
    const preview = trigger.upcoming(from, from.plus({ weeks: 1 })).map((o) => local(o.at));
    const fired: string[] = [];
    trigger.subscribe(h.context, () => fired.push(local(h.clock.now())));
    await h.clock.advance('7d');
    expect(fired).toEqual(preview);
    expect(preview).toHaveLength(5);
  });
});

describe('Trigger subscriptions', () => {
  it('fires every subscriber when one trigger serves two rules', async () => {
    const h = harness('2027-01-01T12:00');
    const beat = new HeartBeat('1m');
    const a: string[] = [];
    const b: string[] = [];
    beat.subscribe(h.context, () => a.push(h.clock.now().toFormat('HH:mm')));
    beat.subscribe(h.context, () => b.push(h.clock.now().toFormat('HH:mm')));
    await h.clock.advance('2m');
    expect(a).toEqual(['12:01', '12:02']);
    expect(b).toEqual(['12:01', '12:02']);
    // one timer serves both
    expect(h.clock.pending()).toBe(1);
  });

  it('keeps running for the remaining subscriber and stops with the last', async () => {
    const h = harness('2027-01-01T12:00');
    const beat = new HeartBeat('1m');
    const a: number[] = [];
    const stopA = beat.subscribe(h.context, () => a.push(1));
    const stopB = beat.subscribe(h.context, () => undefined);
    stopA();
    await h.clock.advance('2m');
    expect(a).toEqual([]);
    expect(beat.running).toBe(true);
    stopB();
    stopB();
    expect(beat.running).toBe(false);
    expect(h.clock.pending()).toBe(0);
  });

  it('lets the other subscribers run when one throws, and warns', async () => {
    const h = harness('2027-01-01T12:00');
    const beat = new HeartBeat('1m');
    let reached = 0;
    beat.subscribe(h.context, () => {
      throw new Error('boom');
    });
    beat.subscribe(h.context, () => reached++);
    await h.clock.advance('1m');
    expect(reached).toBe(1);
    expect(h.warnings).toEqual(['every minute: a subscriber threw: boom']);
  });

  it('leaves no timer behind when a subscriber unsubscribes while being called', async () => {
    const h = harness('2027-01-01T12:00');
    const beat = new HeartBeat('1m');
    const stop = beat.subscribe(h.context, () => stop());
    await h.clock.advance('5m');
    expect(h.clock.pending()).toBe(0);
  });

  it('starts afresh after a stop', async () => {
    const h = harness('2027-01-01T12:00');
    const beat = new HeartBeat('1m');
    beat.subscribe(h.context, () => undefined)();
    await h.clock.advance('30s');
    const fired: string[] = [];
    beat.subscribe(h.context, () => fired.push(h.clock.now().toFormat('HH:mm:ss')));
    await h.clock.advance('1m');
    // once in the minute, on the minute's grid (HeartBeat beats on the clock, not from its start)
    expect(fired).toEqual(['12:01:00']);
  });
});
