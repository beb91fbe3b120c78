/** Waiting on the clock that stops when a rule is stopped or its run aborted. */
import type { Clock } from '../clock';

/** What an aborted wait or fade rejects with; the engine treats it as a quiet end, not an error. */
export class AbortedError extends Error {
  override readonly name = 'AbortError';
  constructor(reason = 'aborted') {
    super(reason);
  }
}

export function isAbort(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AbortError'
  );
}

/**
 * Resolves after `ms` on `clock`, or rejects with AbortedError as soon as any of `signals` aborts;
 * the timer and the abort listeners are released either way.
 */
export function sleepOn(clock: Clock, ms: number, signals: AbortSignal[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const aborted = signals.find((signal) => signal.aborted);
    if (aborted) {
      reject(new AbortedError(String(aborted.reason ?? 'aborted')));
      return;
    }
    const onAbort = (event: Event): void => {
      cancel();
      release();
      reject(new AbortedError(String((event.target as AbortSignal).reason ?? 'aborted')));
    };
    const release = (): void => {
      for (const signal of signals) signal.removeEventListener('abort', onAbort);
    };
    const cancel = clock.after(Math.max(0, ms), () => {
      release();
      resolve();
    });
    for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
  });
}
