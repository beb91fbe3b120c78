/** Polls `condition` until it holds; rejects naming `what` once `timeoutMs` has passed. */
export async function waitUntil(
  condition: () => boolean,
  { timeoutMs = 5000, pollMs = 5, what = 'the condition' } = {}
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
