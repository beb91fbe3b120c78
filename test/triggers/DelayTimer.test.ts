import { DelayTimer } from '../../src/triggers';
import { harness, record, Setting } from './helpers';

describe('DelayTimer', () => {
  it('fires once when the delay elapses after start()', async () => {
    const h = harness('2027-01-10T20:00');
    const timer = new DelayTimer('5m');
    const { times } = record(timer, h);
    expect(timer.isRunning).toBe(false);
    timer.start();
    expect(timer.isRunning).toBe(true);
    await h.clock.advance('1h');
    expect(times()).toEqual(['2027-01-10 20:05:00']);
    expect(timer.isRunning).toBe(false);
    expect(h.clock.pending()).toBe(0);
  });

  it('is no longer running inside the action it fires', async () => {
    const h = harness('2027-01-10T20:00');
    const timer = new DelayTimer('5m');
    const seen: boolean[] = [];
    timer.subscribe(h.context, () => seen.push(timer.isRunning));
    timer.start();
    await h.clock.advance('10m');
    expect(seen).toEqual([false]);
  });

  it('pushes the deadline back with addTime()', async () => {
    const h = harness('2027-01-10T20:00');
    const timer = new DelayTimer('5m');
    const { times } = record(timer, h);
    timer.start();
    await h.clock.advance('4m');
    timer.addTime('3m');
    await h.clock.advance('1h');
    expect(times()).toEqual(['2027-01-10 20:08:00']);
  });

  it('starts a countdown of the added time when addTime() finds it idle', async () => {
    const h = harness('2027-01-10T20:00');
    const timer = new DelayTimer('5m');
    const { times } = record(timer, h);
    timer.addTime('30s');
    await h.clock.advance('1h');
    expect(times()).toEqual(['2027-01-10 20:00:30']);
  });

  it('restarts the full delay when started again, as a motion light does on each motion', async () => {
    const h = harness('2027-01-10T20:00');
    const timer = new DelayTimer('5m');
    const { times } = record(timer, h);
    timer.start();
    await h.clock.advance('3m');
    timer.start();
    await h.clock.advance('3m');
    timer.start();
    await h.clock.advance('1h');
    expect(times()).toEqual(['2027-01-10 20:11:00']);
  });

  it('does not fire after cancel(), and leaves no timer behind', async () => {
    const h = harness('2027-01-10T20:00');
    const timer = new DelayTimer('5m');
    const { times } = record(timer, h);
    timer.start();
    timer.cancel();
    timer.cancel();
    expect(timer.isRunning).toBe(false);
    expect(h.clock.pending()).toBe(0);
    await h.clock.advance('1h');
    expect(times()).toEqual([]);
  });

  it('can be started again from its own action', async () => {
    const h = harness('2027-01-10T20:00');
    const timer = new DelayTimer('1m');
    let count = 0;
    timer.subscribe(h.context, () => {
      if (++count < 3) timer.start();
    });
    timer.start();
    await h.clock.advance('1h');
    expect(count).toBe(3);
    expect(h.clock.pending()).toBe(0);
  });

  it('reads its delay from a setting at each start', async () => {
    const h = harness('2027-01-10T20:00');
    const delay = new Setting<string | number>('5m');
    const timer = new DelayTimer(delay);
    const { times } = record(timer, h);
    delay.set(120);
    timer.start();
    await h.clock.advance('1h');
    expect(times()).toEqual(['2027-01-10 20:02:00']);
  });

  it('explains that it must be subscribed before start()', () => {
    expect(() => new DelayTimer('5m').start()).toThrow(
      /not subscribed; return it from triggers\(\)/
    );
  });

  it('rejects a delay that is not positive', () => {
    expect(() => new DelayTimer('0s')).toThrow(/Invalid DelayTimer delay: "0s"/);
    expect(() => new DelayTimer('soon')).toThrow(/soon/);
  });

  it('cancels its countdown when its last subscriber leaves', () => {
    const h = harness('2027-01-10T20:00');
    const timer = new DelayTimer('5m');
    const { stop } = record(timer, h);
    timer.start();
    stop();
    expect(h.clock.pending()).toBe(0);
    expect(timer.isRunning).toBe(false);
  });

  it('describes itself in English', () => {
    expect(new DelayTimer('5m').describe()).toBe('after a delay of 5 minutes');
  });
});
