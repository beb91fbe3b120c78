/**
 * The simulated device's turn. In the gateway a write goes to the adapter, another process, and
 * comes back as its confirmation; a PUT is answered only then. The simulator applies client
 * writes on a later turn of the event loop (after pending I/O) so that a client pays a hop per
 * write here too, and the quick bench ranks REST against WebSocket writes as the gateway does.
 */
export function deviceTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
