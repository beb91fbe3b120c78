/** The wall clock: the one place in Rule Things that calls Date.now and setTimeout. */
import { DateTime } from 'luxon';
import { assertZone, Cancel, Clock, systemZone } from './Clock';

// setTimeout overflows above 2^31-1 ms (~24.8 days); longer waits are re-armed in steps.
const MAX_TIMEOUT_MS = 2_147_483_647;

export class RealClock implements Clock {
  readonly zone: string;
  // one token per scheduled callback, from `at` until it runs or is cancelled; counts what is pending
  private readonly scheduled = new Set<object>();

  /** @example new RealClock('Europe/Berlin') */
  constructor(zone: string = systemZone()) {
    this.zone = assertZone(zone);
  }

  nowMs(): number {
    return Date.now();
  }

  now(): DateTime {
    return DateTime.fromMillis(Date.now(), { zone: this.zone });
  }

  at(instantMs: number, fn: () => void): Cancel {
    const token = {};
    this.scheduled.add(token);
    let handle: NodeJS.Timeout | undefined;
    const arm = (): void => {
      if (!this.scheduled.has(token)) return;
      const wait = instantMs - Date.now();
      if (wait <= 0) {
        this.scheduled.delete(token);
        fn();
        return;
      }
      // Timers can wake early (or the host can sleep); re-check the wall clock each time.
      handle = setTimeout(arm, Math.min(wait, MAX_TIMEOUT_MS));
    };
    // Even a due callback runs on a later turn, never inside the caller's `at` (as VirtualClock does).
    const start = setImmediate(arm);
    return () => {
      this.scheduled.delete(token);
      clearImmediate(start);
      if (handle) clearTimeout(handle);
    };
  }

  after(ms: number, fn: () => void): Cancel {
    return this.at(Date.now() + ms, fn);
  }

  pending(): number {
    return this.scheduled.size;
  }
}
