import { RealClock } from '../../src/clock';

/** One turn of the event loop: long enough for a due callback, no wall-clock wait. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RealClock', () => {
  it('reads the wall clock in its zone', () => {
    const clock = new RealClock('Asia/Tokyo');
    expect(clock.now().zoneName).toBe('Asia/Tokyo');
    expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThan(1000);
  });

  it('counts a scheduled callback as pending at once and runs a due one on the next turn', async () => {
    const clock = new RealClock('UTC');
    let ran = false;
    clock.at(Date.now() - 1, () => (ran = true));
    expect(clock.pending()).toBe(1);
    expect(ran).toBe(false);
    await nextTurn();
    expect(ran).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  it('cancels a far-off callback, leaving nothing pending', () => {
    const clock = new RealClock('UTC');
    const cancel = clock.after(60 * 86_400_000, () => undefined);
    expect(clock.pending()).toBe(1);
    cancel();
    cancel();
    expect(clock.pending()).toBe(0);
  });

  it('rejects an unknown zone', () => {
    expect(() => new RealClock('Nowhere/Special')).toThrow(/Invalid time zone/);
  });
});
