/** Waits for a gateway connection's next event of one kind, for tests over real sockets. */
import type { GatewayConnection, GatewayEvents } from '../../src/protocol/gateway';

/** Resolves with the next `name` event whose payload passes `test`; rejects after `timeoutMs`. */
export function nextEvent<K extends keyof GatewayEvents>(
  client: GatewayConnection,
  name: K,
  test: (payload: GatewayEvents[K]) => boolean = () => true,
  timeoutMs = 5000
): Promise<GatewayEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(name, listener);
      reject(new Error(`no "${name}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: GatewayEvents[K]): void => {
      if (!test(payload)) return;
      clearTimeout(timer);
      client.off(name, listener);
      resolve(payload);
    };
    client.on(name, listener);
  });
}
