/** Stops waiting for an action that never settles, so its concurrency slot (single, queued, parallel) is freed. */
import type { Clock } from '../clock';

/**
 * Resolves when `run` settles or after `ms` on `clock`, whichever comes first; `onTimeout` is
 * called in the second case. The run itself cannot be killed; it is aborted by the caller.
 */
export function settleWithin(
  run: Promise<void>,
  clock: Clock,
  ms: number,
  onTimeout: () => void
): Promise<void> {
  return new Promise<void>((resolve) => {
    const cancel = clock.after(ms, () => {
      onTimeout();
      resolve();
    });
    const settled = (): void => {
      cancel();
      resolve();
    };
    run.then(settled, settled);
  });
}
