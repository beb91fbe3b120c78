/** Shared fixtures for trigger tests: places, a context on a virtual clock, and a recorder of firings. */
import { DateTime } from 'luxon';
import { VirtualClock } from '../../src/clock';
import type { Cancel } from '../../src/clock';
import type { Place, Trigger, TriggerContext, ValueSource } from '../../src/triggers';

export const BERLIN: Place = { latitude: 52.52, longitude: 13.405 };
export const TROMSO: Place = { latitude: 69.6492, longitude: 18.9553 };
export const LONGYEARBYEN: Place = { latitude: 78.2232, longitude: 15.6267 };

export interface Harness {
  clock: VirtualClock;
  context: TriggerContext;
  warnings: string[];
}

/** A virtual clock started at `start` (read in `zone`) and a context that records warnings. */
export function harness(start: string, zone = 'Europe/Berlin', place: Place = BERLIN): Harness {
  const clock = new VirtualClock(start, zone);
  const warnings: string[] = [];
  return { clock, warnings, context: { clock, place, warn: (m) => warnings.push(m) } };
}

const LOCAL_FORMAT = 'yyyy-MM-dd HH:mm:ss';

export interface Firing {
  at: string;
  property: string;
  value: unknown;
}

/** Subscribes to `trigger` and records each firing with the clock's local time (by default "yyyy-MM-dd HH:mm:ss"). */
export function record(
  trigger: Trigger,
  h: Harness,
  format = LOCAL_FORMAT
): { firings: Firing[]; times: () => string[]; stop: Cancel } {
  const firings: Firing[] = [];
  const stop = trigger.subscribe(h.context, (_t, property, value) => {
    firings.push({ at: h.clock.now().toFormat(format), property, value });
  });
  return { firings, times: () => firings.map((f) => f.at), stop };
}

export function local(instant: DateTime): string {
  return instant.toFormat(LOCAL_FORMAT);
}

/** Minutes between two instants, for "within ±2 minutes of NOAA" checks. */
export function minutesApart(a: DateTime, b: DateTime): number {
  return Math.abs(a.toMillis() - b.toMillis()) / 60_000;
}

/** A setting-like value whose changes are announced, as a RuleThing setting's are. */
export class Setting<T> implements ValueSource<T> {
  private readonly listeners = new Set<(value: T) => void>();
  constructor(private value: T) {}
  get(): T {
    return this.value;
  }
  set(value: T): void {
    this.value = value;
    for (const listener of this.listeners) listener(value);
  }
  onChange(listener: (value: T) => void): Cancel {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
}
