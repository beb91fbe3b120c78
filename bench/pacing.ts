/** Waiting helpers for the driver side of the scenarios, on the real clock (this is a benchmark). */
import { performance } from 'perf_hooks';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Sleeps until performance.now() reaches `at`: events paced from a fixed start never drift. */
export function sleepUntil(at: number): Promise<void> {
  return sleep(at - performance.now());
}

/** Resolves when `condition()` holds, checking every `everyMs`; false if `timeoutMs` passed first. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs: number,
  everyMs = 5
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
