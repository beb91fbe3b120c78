/** The REST half of the client against a real socket on 127.0.0.1: what a failed answer says. */
import http from 'http';
import type { AddressInfo } from 'net';
import { RealClock } from '../../src/clock';
import { GatewayRest } from '../../src/webthing/GatewayRest';

const TOKEN = 'rest-T0KEN-0123456789abcdef';

test('an error answer that quotes the token across the 200-character cut shows none of it', async () => {
  // A gateway (or a proxy in front of it) that echoes the request's headers in its error page.
  const server = http.createServer((_request, response) => {
    response.statusCode = 500;
    response.end(`${'x'.repeat(190)}Bearer ${TOKEN}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const rest = new GatewayRest({
    base: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
    token: TOKEN,
    acceptSelfSigned: false,
    timeoutMs: 5000,
    clock: new RealClock('UTC'),
  });
  try {
    const error = (await rest.getThings().catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/HTTP 500 x+Bearer \*\*\*$/);
    expect(error.message).not.toContain(TOKEN.slice(0, 3));
  } finally {
    rest.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('destroy() ends every request at once, also those still waiting for a socket, and leaves no timer', async () => {
  // A gateway that never answers: 70 reads fill the 64 kept-alive sockets and queue the rest.
  const server = http.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const clock = new RealClock('UTC');
  const rest = new GatewayRest({
    base: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
    token: TOKEN,
    acceptSelfSigned: false,
    timeoutMs: 60_000,
    clock,
  });
  try {
    const reads = Array.from({ length: 70 }, () => rest.getThings().catch((e: Error) => e));
    await new Promise((resolve) => setTimeout(resolve, 100));
    rest.destroy();
    // At once: close() returns right after destroy(), and nothing may be left ticking.
    expect(clock.pending()).toBe(0);
    const errors = (await Promise.all(reads)) as Error[];
    expect(errors.map((e) => e.message)).toEqual(
      Array(70).fill(
        'GET http://127.0.0.1:' +
          (server.address() as AddressInfo).port +
          '/things failed: the gateway connection was closed'
      )
    );
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
