/**
 * The simulated device's turn. In the gateway a PUT goes to the adapter, another process, and is
 * answered only once the device confirmed. The simulator applies a PUT's value on a later turn of
 * the event loop (after pending I/O) and answers after that, so a client that waits for its PUT
 * pays a hop per write here too (the quick bench's coalescing and back-to-back figures depend on
 * it). A WebSocket write has no answer of its own to hold back: its report is the confirmation.
 */
export function deviceTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
