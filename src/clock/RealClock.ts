/** The wall clock: the one place in Rule Things that calls Date.now and setTimeout. */
import { DateTime } from 'luxon';
import { assertZone, Cancel, Clock, systemZone } from './Clock';

// setTimeout overflows above 2^31-1 ms (~24.8 days); longer waits are re-armed in steps.
const MAX_TIMEOUT_MS = 2_147_483_647;

export class RealClock implements Clock {
  readonly zone: string;
  // timer handle -> nothing; kept to count what is pending
  private readonly timers = new Set<NodeJS.Timeout>();

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
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (): void => {
      const wait = instantMs - Date.now();
      if (wait <= 0) {
        handle = undefined;
        fn();
        return;
      }
      // Timers can wake early (or the host can sleep); re-check the wall clock each time.
      handle = setTimeout(
        () => {
          this.timers.delete(handle!);
          if (!cancelled) arm();
        },
        Math.min(wait, MAX_TIMEOUT_MS)
      );
      this.timers.add(handle);
    };
    const start = setImmediate(() => {
      if (!cancelled) arm();
    });
    return () => {
      cancelled = true;
      clearImmediate(start);
      if (handle) {
        clearTimeout(handle);
        this.timers.delete(handle);
      }
    };
  }

  after(ms: number, fn: () => void): Cancel {
    return this.at(Date.now() + ms, fn);
  }

  pending(): number {
    return this.timers.size;
  }
}
