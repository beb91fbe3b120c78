/** A clock for tests and dry runs: time stands still until `advance` moves it, running due timers in order. */
import { DateTime } from 'luxon';
import { assertZone, Cancel, Clock } from './Clock';
import { parseDuration } from './duration';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets promise chains started by a timer settle before the next timer runs. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class VirtualClock implements Clock {
  readonly zone: string;
  private current: number;
  private seq = 0;
  // seq -> timer; a Map keeps cancel O(1)
  private readonly timers = new Map<number, Timer>();

  /**
   * @param start ISO time ("2027-03-28T01:00", read in `zone`) or epoch milliseconds.
   * @example new VirtualClock('2027-03-28T01:00', 'Europe/Berlin')
   */
  constructor(start: string | number, zone = 'UTC') {
    this.zone = assertZone(zone);
    const instant =
      typeof start === 'number'
        ? DateTime.fromMillis(start, { zone })
        : DateTime.fromISO(start, { zone });
    if (!instant.isValid) throw new Error(`Invalid start time for VirtualClock: "${start}"`);
    this.current = instant.toMillis();
  }

  nowMs(): number {
    return this.current;
  }

  now(): DateTime {
    return DateTime.fromMillis(this.current, { zone: this.zone });
  }

  at(instantMs: number, fn: () => void): Cancel {
    const seq = this.seq++;
    this.timers.set(seq, { at: Math.max(instantMs, this.current), seq, fn });
    return () => {
      this.timers.delete(seq);
    };
  }

  after(ms: number, fn: () => void): Cancel {
    return this.at(this.current + ms, fn);
  }

  pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by a duration ("25h", 90 seconds), running every timer due on the way, in order. */
  async advance(duration: string | number): Promise<void> {
    await this.advanceTo(this.current + parseDuration(duration));
  }

  /** Moves time forward to an instant (ISO in `zone`, or epoch ms), running due timers in order. */
  async advanceTo(target: string | number): Promise<void> {
    const end =
      typeof target === 'number'
        ? target
        : DateTime.fromISO(target, { zone: this.zone }).toMillis();
    if (!Number.isFinite(end)) throw new Error(`Invalid target time: "${target}"`);
    await settle();
    for (;;) {
      const next = this.nextDue(end);
      if (!next) break;
      this.timers.delete(next.seq);
      this.current = Math.max(this.current, next.at);
      next.fn();
      await settle();
    }
    this.current = Math.max(this.current, end);
    await settle();
  }

  private nextDue(end: number): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.at > end) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq))
        best = timer;
    }
    return best;
  }
}
