import { VirtualClock } from '../../src/clock';

describe('VirtualClock', () => {
  it('reads its start time in its zone', () => {
    const clock = new VirtualClock('2027-03-28T01:00', 'Europe/Berlin');
    expect(clock.now().toISO()).toBe('2027-03-28T01:00:00.000+01:00');
    expect(clock.nowMs()).toBe(Date.UTC(2027, 2, 28, 0, 0));
    expect(clock.zone).toBe('Europe/Berlin');
  });

  it('runs due timers in time order as advance("25h") passes them, and no others', async () => {
    const clock = new VirtualClock('2027-01-01T00:00', 'UTC');
    const ran: string[] = [];
    clock.after(3_600_000 * 26, () => ran.push('26h'));
    clock.after(3_600_000 * 2, () => ran.push('2h'));
    clock.after(60_000, () => ran.push('1m'));
    await clock.advance('25h');
    expect(ran).toEqual(['1m', '2h']);
    expect(clock.pending()).toBe(1);
    expect(clock.now().toISO()).toBe('2027-01-02T01:00:00.000Z');
  });

  it('shows each timer the time it was due', async () => {
    const clock = new VirtualClock('2027-01-01T00:00', 'UTC');
    const seen: string[] = [];
    clock.after(90_000, () => seen.push(clock.now().toFormat('HH:mm:ss')));
    await clock.advance('1h');
    expect(seen).toEqual(['00:01:30']);
  });

  it('runs timers scheduled by timers within the same advance', async () => {
    const clock = new VirtualClock('2027-01-01T00:00', 'UTC');
    const ran: number[] = [];
    const tick = (): void => {
      ran.push(clock.nowMs());
      if (ran.length < 3) clock.after(1000, tick);
    };
    clock.after(1000, tick);
    await clock.advance('10s');
    expect(ran.map((ms) => (ms - ran[0]) / 1000)).toEqual([0, 1, 2]);
  });

  it('lets promises started by a timer settle before the next timer runs', async () => {
    const clock = new VirtualClock('2027-01-01T00:00', 'UTC');
    const order: string[] = [];
    clock.after(1000, () => {
      void Promise.resolve()
        .then(() => undefined)
        .then(() => order.push('first settled'));
    });
    clock.after(2000, () => order.push('second timer'));
    await clock.advance('3s');
    expect(order).toEqual(['first settled', 'second timer']);
  });

  it('does not run a cancelled timer, and cancelling twice is harmless', async () => {
    const clock = new VirtualClock('2027-01-01T00:00', 'UTC');
    let ran = false;
    const cancel = clock.after(1000, () => (ran = true));
    cancel();
    cancel();
    expect(clock.pending()).toBe(0);
    await clock.advance('1m');
    expect(ran).toBe(false);
  });

  it('runs a timer set in the past at the next advance', async () => {
    const clock = new VirtualClock('2027-01-01T00:00', 'UTC');
    let ran = false;
    clock.at(0, () => (ran = true));
    expect(ran).toBe(false);
    await clock.advance(0);
    expect(ran).toBe(true);
  });

  it('advances to an instant given in its zone', async () => {
    const clock = new VirtualClock('2027-03-27T12:00', 'Europe/Berlin');
    await clock.advanceTo('2027-03-28T12:00');
    // a 23-hour day: clocks sprang forward that night
    expect(clock.now().toISO()).toBe('2027-03-28T12:00:00.000+02:00');
  });

  it('rejects a bad zone or start time with a clear message', () => {
    expect(() => new VirtualClock('2027-01-01T00:00', 'Mars/Olympus')).toThrow(
      /Invalid time zone: "Mars\/Olympus"/
    );
    expect(() => new VirtualClock('yesterday', 'UTC')).toThrow(/Invalid start time/);
  });
});
