/** Reconnect delays: capped exponential backoff with full jitter, so many clients do not retry in step. */

export interface BackoffOptions {
  /** Ceiling of the first delay (default 500 ms). */
  initialMs?: number;
  /** Largest ceiling any delay can have (default 30 s). */
  maxMs?: number;
  /** Source of randomness in [0, 1); replaceable in tests. */
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = Math.max(0, options.initialMs ?? 500);
    this.maxMs = Math.max(this.initialMs, options.maxMs ?? 30_000);
    this.random = options.random ?? Math.random;
  }

  /** The next delay: uniform in [0, min(max, initial · 2^attempt)) ("full jitter"). */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    // Stop growing the exponent once capped; 2^attempt would otherwise overflow after ~1,000 tries.
    if (ceiling < this.maxMs) this.attempt++;
    return Math.floor(this.random() * ceiling);
  }

  /** Starts over from the initial delay, after a successful connection. */
  reset(): void {
    this.attempt = 0;
  }
}
