/** The only seam through which Rule Things reads the time or waits: real in production, virtual in tests. */
import { DateTime } from 'luxon';

/** Cancels what was scheduled; calling it twice is harmless. */
export type Cancel = () => void;

export interface Clock {
  /** IANA time zone in which local times ("06:30") are read, e.g. "Europe/Berlin". */
  readonly zone: string;
  /** Milliseconds since the epoch. */
  nowMs(): number;
  /** The current instant in `zone`. */
  now(): DateTime;
  /** Runs `fn` once at `instantMs` (at once if it is past); returns its cancel. */
  at(instantMs: number, fn: () => void): Cancel;
  /** Runs `fn` once after `ms` milliseconds; returns its cancel. */
  after(ms: number, fn: () => void): Cancel;
  /** Number of callbacks scheduled and not yet run or cancelled (for leak checks). */
  pending(): number;
}

/** Throws a clear error unless `zone` is an IANA time zone luxon knows. */
export function assertZone(zone: string): string {
  if (!DateTime.now().setZone(zone).isValid) {
    throw new Error(
      `Invalid time zone: "${String(zone).slice(0, 60)}" (use an IANA name such as "Europe/Berlin" or "America/New_York")`
    );
  }
  return zone;
}

/** The zone of this machine, as luxon sees it. */
export function systemZone(): string {
  return DateTime.local().zoneName ?? 'UTC';
}
