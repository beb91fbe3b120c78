/** WebThingClient against a gateway-shaped server on real sockets (127.0.0.1): reads, commands, reconnects, bad input. */
import { RealClock } from '../../src/clock';
import type { GatewayEvents } from '../../src/protocol/gateway';
import { GatewayRequestError, WebThingClient, WebThingClientOptions } from '../../src/webthing';
import { FakeGateway, FakeThing, TOKEN } from './FakeGateway';
import { countHandOvers } from './handOvers';
import { nextEvent } from './nextEvent';
import { waitUntil } from '../waitUntil';

function home(): FakeThing[] {
  return [
    {
      id: 'lamp-1',
      title: 'Porch Light',
      properties: {
        on: { type: 'boolean' },
        level: { type: 'integer' },
        color: { type: 'string' },
      },
      values: { on: false, level: 40, color: '#ffffff' },
    },
    {
      id: 'button 2',
      title: 'Hall Button',
      properties: { pushed: { type: 'boolean', readOnly: true } },
      events: { pressed: {}, longPressed: {} },
      values: { pushed: false },
    },
    {
      id: 'kettle',
      title: 'Kettle',
      properties: { on: { type: 'boolean' } },
      actions: { boil: { input: { type: 'object' } }, stop: {} },
      events: { boiled: {} },
      values: { on: false },
    },
  ];
}

interface Harness {
  gateway: FakeGateway;
  client: WebThingClient;
  clock: RealClock;
  logs: string[];
  warnings: GatewayEvents['warning'][];
  connections: GatewayEvents['connection'][];
}

let harness: Harness | undefined;

async function start(
  options: Partial<WebThingClientOptions> = {},
  gateway = new FakeGateway(home())
): Promise<Harness> {
  if (gateway.port === 0) await gateway.start();
  const clock = new RealClock('UTC');
  const logs: string[] = [];
  const client = new WebThingClient({
    gatewayUrl: gateway.url,
    token: TOKEN,
    requestTimeoutMs: 2000,
    backoff: { initialMs: 20, maxMs: 100 },
    clock,
    logger: (level, message) => logs.push(`${level}: ${message}`),
    ...options,
  });
  const h: Harness = { gateway, client, clock, logs, warnings: [], connections: [] };
  client.on('warning', (w) => h.warnings.push(w));
  client.on('connection', (c) => h.connections.push(c));
  harness = h;
  return h;
}

function valuesOf(client: WebThingClient, id: string): Record<string, unknown> | undefined {
  return client.things().find((t) => t.description.id === id)?.values;
}

afterEach(async () => {
  const h = harness;
  harness = undefined;
  if (!h) return;
  await h.client.close();
  await h.gateway.stop();
  // Nothing the client said may carry the token.
  for (const line of [...h.logs, ...h.warnings.map((w) => w.message)]) {
    expect(line).not.toContain(TOKEN);
  }
  for (const c of h.connections) if (c.state === 'down') expect(c.reason).not.toContain(TOKEN);
  expect(h.clock.pending()).toBe(0);
});

describe('connect', () => {
  test('reads every thing and its values with the Bearer token and Accept: application/json', async () => {
    const { client, gateway } = await start();
    await client.connect();

    const ids = client.things().map((t) => t.description.id);
    expect(ids).toEqual(['lamp-1', 'button 2', 'kettle']);
    expect(valuesOf(client, 'lamp-1')).toEqual({ on: false, level: 40, color: '#ffffff' });
    expect(client.things()[1].description.title).toBe('Hall Button');
    for (const request of gateway.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers.accept).toBe('application/json');
    }
    // One GET /things and one readallproperties GET per thing.
    expect(gateway.requests.map((r) => r.path).sort()).toEqual([
      '/things',
      '/things/button%202/properties',
      '/things/kettle/properties',
      '/things/lamp-1/properties',
    ]);
    expect(gateway.socketCount).toBe(1);
  });

  test('reads each property through its own form when the thing offers no readallproperties form', async () => {
    const gateway = new FakeGateway(home(), { formPrefix: '/elsewhere', readAllForm: false });
    await gateway.start();
    const { client } = await start({}, gateway);
    await client.connect();

    expect(valuesOf(client, 'lamp-1')).toEqual({ on: false, level: 40, color: '#ffffff' });
    const paths = gateway.requests.map((r) => r.path);
    expect(paths).toContain('/elsewhere/things/lamp-1/properties/level');
    expect(paths).toContain('/elsewhere/things/button%202/properties/pushed');
    expect(paths.filter((p) => !p.startsWith('/elsewhere/') && p !== '/things')).toEqual([]);
  });

  test('subscribes to every event of every thing on the one WebSocket', async () => {
    const { client, gateway } = await start();
    await client.connect();
    await waitUntil(() => gateway.received.length >= 2);

    expect(gateway.received).toEqual(
      expect.arrayContaining([
        {
          messageType: 'addEventSubscription',
          id: 'button 2',
          data: { pressed: {}, longPressed: {} },
        },
        { messageType: 'addEventSubscription', id: 'kettle', data: { boiled: {} } },
      ])
    );
  });

  test('subscribes only once the gateway has spoken: the gateway 2.1 drops what arrives before its handler listens', async () => {
    const gateway = new FakeGateway(home(), { listensAfterMs: 150 });
    const { client } = await start({}, gateway);
    await client.connect();
    await waitUntil(() => gateway.received.length >= 2);

    expect(gateway.received).toEqual(
      expect.arrayContaining([
        { messageType: 'addEventSubscription', id: 'kettle', data: { boiled: {} } },
      ])
    );
  });

  test('the WebSocket carries the token in its Authorization header, never in its URL', async () => {
    const { client, gateway } = await start();
    await client.connect();
    await waitUntil(() => gateway.socketCount === 1);

    expect(gateway.upgrades).toEqual([{ url: '/things', authorization: `Bearer ${TOKEN}` }]);
  });

  test('a refused token rejects with one clear message that does not contain the token', async () => {
    const gateway = new FakeGateway(home());
    await gateway.start();
    const { client } = await start({ token: 'not-the-token-xyz' }, gateway);

    const error = await client.connect().then(
      () => undefined,
      (e: Error) => e
    );
    expect(error?.message).toBe(
      `the access token was refused by the gateway at ${gateway.url} (HTTP 401): create a new one in Settings → Developer`
    );
    expect(error?.message).not.toContain('not-the-token-xyz');
    expect(harness!.logs.join('\n')).not.toContain('not-the-token-xyz');
  });

  test('keeps trying while the gateway is unreachable and connects once it answers', async () => {
    const gateway = new FakeGateway(home());
    await gateway.start();
    await gateway.stop();
    const { client, connections } = await start({}, gateway);

    const connected = client.connect();
    await nextEvent(client, 'connection', (c) => c.state === 'down');
    await gateway.start();
    await connected;

    expect(connections[0]).toEqual({ state: 'connecting' });
    expect(connections.at(-1)).toEqual({ state: 'up' });
    expect(client.things()).toHaveLength(3);
  });

  test('gives up after connectAttempts failed attempts, naming the gateway', async () => {
    const gateway = new FakeGateway(home());
    await gateway.start();
    await gateway.stop();
    const { client } = await start({ connectAttempts: 2 }, gateway);

    await expect(client.connect()).rejects.toThrow(
      `could not connect to the gateway at ${gateway.url}: GET ${gateway.url}/things failed:`
    );
  });
});

describe('WebSocket messages', () => {
  test('a propertyStatus with several properties gives one propertyChanged each and updates values', async () => {
    const { client, gateway } = await start();
    await client.connect();
    const changes: GatewayEvents['propertyChanged'][] = [];
    client.on('propertyChanged', (c) => changes.push(c));

    gateway.broadcast({
      id: 'lamp-1',
      messageType: 'propertyStatus',
      data: { on: true, level: 80, color: '#ffffff' },
    });
    await nextEvent(client, 'propertyChanged', (c) => c.name === 'level');

    // color did not change, so it is not reported.
    expect(changes).toEqual([
      { thingId: 'lamp-1', name: 'on', value: true },
      { thingId: 'lamp-1', name: 'level', value: 80 },
    ]);
    expect(valuesOf(client, 'lamp-1')).toEqual({ on: true, level: 80, color: '#ffffff' });
  });

  test('an event message becomes an event with its data', async () => {
    const { client, gateway } = await start();
    await client.connect();

    gateway.broadcast({
      id: 'button 2',
      messageType: 'event',
      data: { pressed: { data: 2, timestamp: '2024-01-01T00:00:00Z' } },
    });

    expect(await nextEvent(client, 'event')).toEqual({
      thingId: 'button 2',
      name: 'pressed',
      data: 2,
    });
  });

  test('connected: false and true are reported as thingConnected', async () => {
    const { client, gateway } = await start();
    await client.connect();

    gateway.broadcast({ id: 'kettle', messageType: 'connected', data: false });
    expect(await nextEvent(client, 'thingConnected')).toEqual({
      thingId: 'kettle',
      connected: false,
    });
    expect(client.things()[2].connected).toBe(false);
  });

  test('a thing whose values could not be read is read again when the gateway says it connected', async () => {
    const gateway = new FakeGateway(home());
    await gateway.start();
    gateway.failures.set('/things/kettle/properties', 500);
    gateway.failures.set('/things/kettle/properties/on', 500);
    const { client, warnings } = await start({}, gateway);
    await client.connect();
    expect(warnings.map((w) => w.kind)).toEqual(['valuesUnreadable']);

    gateway.failures.clear();
    gateway.things.get('kettle')!.values.on = true;
    gateway.broadcast({ id: 'kettle', messageType: 'connected', data: true });

    // Only the re-read can know the new value: the fake sent no propertyStatus for it.
    expect(await nextEvent(client, 'propertyChanged', (c) => c.value === true)).toEqual({
      thingId: 'kettle',
      name: 'on',
      value: true,
    });
  });

  test('thingAdded, thingModified and thingRemoved re-read the description and values', async () => {
    const { client, gateway } = await start();
    await client.connect();

    gateway.things.set('fan', {
      id: 'fan',
      title: 'Fan',
      properties: { speed: { type: 'number' } },
      events: { stalled: {} },
      values: { speed: 3 },
    });
    gateway.broadcast({ id: 'fan', messageType: 'thingAdded', data: {} });
    const added = await nextEvent(client, 'thingAdded');
    expect(added.description.title).toBe('Fan');
    expect(added.values).toEqual({ speed: 3 });
    await waitUntil(() => gateway.received.some((m) => m.id === 'fan'));

    gateway.things.get('fan')!.title = 'Ceiling Fan';
    gateway.things.get('fan')!.values.speed = 5;
    gateway.broadcast({ id: 'fan', messageType: 'thingModified', data: {} });
    const modified = await nextEvent(client, 'thingModified');
    expect(modified.description.title).toBe('Ceiling Fan');
    await waitUntil(() => valuesOf(client, 'fan')?.speed === 5);

    gateway.broadcast({ id: 'fan', messageType: 'thingRemoved', data: {} });
    expect(await nextEvent(client, 'thingRemoved')).toEqual({ thingId: 'fan' });
    expect(client.things().map((t) => t.description.id)).not.toContain('fan');
  });
});

describe('setProperty over the WebSocket', () => {
  test('sends setProperty on the open socket, no PUT, and resolves once the device reports the value', async () => {
    const { client, gateway } = await start();
    await client.connect();

    await client.setProperty('lamp-1', 'level', 75);

    // Already known when the write resolves: the confirmation is the device's propertyStatus.
    expect(valuesOf(client, 'lamp-1')?.level).toBe(75);
    expect(gateway.received).toContainEqual({
      messageType: 'setProperty',
      id: 'lamp-1',
      data: { level: 75 },
    });
    expect(gateway.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });

  test('writes made inside together() leave in one hand-over to the kernel; others one each', async () => {
    const { client, gateway } = await start();
    await client.connect();
    const handOvers = countHandOvers(gateway.port);
    let together: Promise<void>[] = [];
    let apart: Promise<void>[] = [];
    try {
      together = client.together(() => [
        client.setProperty('lamp-1', 'on', true),
        client.setProperty('kettle', 'on', true),
      ]);
      expect(handOvers.calls).toHaveLength(1);
      await Promise.all(together);
      apart = [
        client.setProperty('lamp-1', 'on', false),
        client.setProperty('kettle', 'on', false),
      ];
      await Promise.all(apart);
    } finally {
      handOvers.restore();
    }

    expect(handOvers.calls).toHaveLength(3);
    expect(gateway.received.filter((m) => m.messageType === 'setProperty')).toEqual([
      { messageType: 'setProperty', id: 'lamp-1', data: { on: true } },
      { messageType: 'setProperty', id: 'kettle', data: { on: true } },
      { messageType: 'setProperty', id: 'lamp-1', data: { on: false } },
      { messageType: 'setProperty', id: 'kettle', data: { on: false } },
    ]);
  });

  test('resolves on the confirmation, not before; the next command to the thing waits for it', async () => {
    const { client, gateway } = await start();
    await client.connect();
    gateway.silentSocketWrites = true;
    let resolved = false;

    const first = client.setProperty('lamp-1', 'on', true).then(() => (resolved = true));
    const second = client.setProperty('lamp-1', 'level', 10);
    await waitUntil(() => gateway.received.some((m) => m.messageType === 'setProperty'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resolved).toBe(false);
    expect(gateway.received.filter((m) => m.messageType === 'setProperty')).toHaveLength(1);

    gateway.silentSocketWrites = false;
    gateway.setValue('lamp-1', 'on', true);
    await Promise.all([first, second]);
    expect(gateway.received.filter((m) => m.messageType === 'setProperty')).toEqual([
      { messageType: 'setProperty', id: 'lamp-1', data: { on: true } },
      { messageType: 'setProperty', id: 'lamp-1', data: { level: 10 } },
    ]);
  });

  test("a write the gateway refuses rejects naming the thing, the property, the value and the gateway's reason", async () => {
    const { client, gateway } = await start();
    await client.connect();
    // The gateway no longer has the property the client still knows of.
    delete gateway.things.get('lamp-1')!.properties.color;

    const error = (await client
      .setProperty('lamp-1', 'color', '#00ff00')
      .catch((e) => e)) as GatewayRequestError;

    expect(error).toBeInstanceOf(GatewayRequestError);
    expect(error).toMatchObject({ thingId: 'lamp-1', property: 'color', status: 400 });
    expect(error.message).toBe(
      'Setting a property failed: thing "Porch Light" (lamp-1), property "color", value "#00ff00": the gateway refused it: Property "color" not found'
    );
  });

  test('a value its description does not allow, or a read-only property, is refused before anything is sent', async () => {
    const { client, gateway } = await start();
    await client.connect();

    await expect(client.setProperty('lamp-1', 'level', 'high')).rejects.toThrow(
      'property "level", value "high": invalid value: expected an integer, got string'
    );
    await expect(client.setProperty('button 2', 'pushed', true)).rejects.toThrow(
      'property "pushed", value true: the property is read-only'
    );
    expect(gateway.received.filter((m) => m.messageType === 'setProperty')).toEqual([]);
    expect(gateway.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });

  test('a write the device never answers fails after requestTimeoutMs', async () => {
    const { client, gateway } = await start({ requestTimeoutMs: 150 });
    await client.connect();
    gateway.silentSocketWrites = true;

    await expect(client.setProperty('kettle', 'on', true)).rejects.toThrow(
      'Setting a property failed: thing "Kettle" (kettle), property "on", value true: no answer from the device within 150 ms'
    );
  });

  test('a report of another value answers the write at once: it fails naming that value', async () => {
    const { client, gateway } = await start({ requestTimeoutMs: 5000 });
    await client.connect();
    await waitUntil(() => valuesOf(client, 'lamp-1')?.level === 40);
    gateway.silentSocketWrites = true;

    const began = Date.now();
    const write = client.setProperty('lamp-1', 'level', 90);
    await waitUntil(() => gateway.received.some((m) => m.messageType === 'setProperty'));
    // A device that refuses a write reports the value it kept (gateway-addon's way).
    gateway.setValue('lamp-1', 'level', 40);

    await expect(write).rejects.toThrow('value 90: the device reported 40 instead');
    expect(Date.now() - began).toBeLessThan(1000);
  });

  test('a value the device last reported is not sent (a gateway-addon device would not answer it)', async () => {
    const { client, gateway } = await start({ requestTimeoutMs: 5000 });
    await client.connect();
    await waitUntil(() => valuesOf(client, 'lamp-1')?.level === 40);
    gateway.silentSocketWrites = true;

    await client.setProperty('lamp-1', 'level', 40);

    expect(gateway.received.filter((m) => m.messageType === 'setProperty')).toEqual([]);
    expect(gateway.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });

  test('a write asked for before the gateway has spoken on the socket goes as a PUT (the gateway 2.1 drops what arrives before its handler listens), the next ones over the socket', async () => {
    const gateway = new FakeGateway(home(), { listensAfterMs: 300 });
    const { client } = await start({}, gateway);
    await client.connect();

    await client.setProperty('lamp-1', 'level', 75);
    const put = gateway.requests.find((r) => r.method === 'PUT')!;
    expect([put.path, put.body]).toEqual(['/things/lamp-1/properties/level', '75']);

    await waitUntil(() => gateway.received.length > 0);
    await client.setProperty('lamp-1', 'level', 76);
    expect(gateway.received).toContainEqual({
      messageType: 'setProperty',
      id: 'lamp-1',
      data: { level: 76 },
    });
    expect(gateway.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  test('a write unconfirmed when the socket breaks is sent again as a PUT, and resolves on its 204', async () => {
    const { client, gateway } = await start();
    await client.connect();
    gateway.silentSocketWrites = true;

    const write = client.setProperty('kettle', 'on', true);
    await waitUntil(() => gateway.received.some((m) => m.messageType === 'setProperty'));
    gateway.dropSockets();
    await write;

    const put = gateway.requests.find((r) => r.method === 'PUT')!;
    expect([put.path, put.body]).toEqual(['/things/kettle/properties/on', 'true']);
  });
});

describe('setProperty over REST (commandChannel "rest", or while the socket is down) and requestAction', () => {
  test('PUTs the bare JSON value to the property form and resolves on 204', async () => {
    const { client, gateway } = await start({ commandChannel: 'rest' });
    await client.connect();

    await client.setProperty('lamp-1', 'level', 75);

    const put = gateway.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe('/things/lamp-1/properties/level');
    expect(put.body).toBe('75');
    expect(put.headers['content-type']).toBe('application/json');
    expect(put.headers.authorization).toBe(`Bearer ${TOKEN}`);
    await waitUntil(() => valuesOf(client, 'lamp-1')?.level === 75);
  });

  test('follows the form href, wherever it points on the gateway', async () => {
    // A writable property of the thing whose id needs encoding.
    const things = home().map((thing) =>
      thing.id === 'button 2' ? { ...thing, properties: { pushed: { type: 'boolean' } } } : thing
    );
    const gateway = new FakeGateway(things, { formPrefix: '/elsewhere' });
    await gateway.start();
    const { client } = await start({ commandChannel: 'rest' }, gateway);
    await client.connect();

    await client.setProperty('button 2', 'pushed', true);

    expect(gateway.requests.find((r) => r.method === 'PUT')?.path).toBe(
      '/elsewhere/things/button%202/properties/pushed'
    );
  });

  test('a refused value rejects naming the thing, the property, the value and the status', async () => {
    const { client, gateway } = await start({ commandChannel: 'rest' });
    await client.connect();
    gateway.failures.set('/things/lamp-1/properties/color', 400);

    const error = (await client
      .setProperty('lamp-1', 'color', 'purple')
      .catch((e) => e)) as GatewayRequestError;

    expect(error).toBeInstanceOf(GatewayRequestError);
    expect(error).toMatchObject({
      thingId: 'lamp-1',
      property: 'color',
      value: 'purple',
      status: 400,
    });
    expect(error.message).toBe(
      'Setting a property failed: thing "Porch Light" (lamp-1), property "color", value "purple": HTTP 400 Invalid property value'
    );
  });

  test('an unknown thing or property rejects at once without a request', async () => {
    const { client, gateway } = await start();
    await client.connect();
    const before = gateway.requests.length;

    await expect(client.setProperty('nope', 'on', true)).rejects.toThrow(
      'thing "nope", property "on", value true: the gateway has no such thing'
    );
    await expect(client.setProperty('lamp-1', 'volume', 3)).rejects.toThrow(
      'the thing has no property of that name'
    );
    expect(gateway.requests.length).toBe(before);
  });

  test('commands to one thing are sent one at a time, in the order asked', async () => {
    const { client, gateway } = await start({ commandChannel: 'rest' });
    await client.connect();
    gateway.holdPuts = true;

    const done = [
      client.setProperty('lamp-1', 'on', true),
      client.setProperty('lamp-1', 'level', 10),
      client.setProperty('lamp-1', 'color', '#ff0000'),
    ];
    for (let i = 1; i <= 3; i++) {
      await gateway.waitForRequest(
        () => gateway.requests.filter((r) => r.method === 'PUT').length === i
      );
      // Only one PUT to the thing is ever in flight.
      await new Promise((resolve) => setImmediate(resolve));
      expect(gateway.requests.filter((r) => r.method === 'PUT')).toHaveLength(i);
      gateway.release();
    }
    await Promise.all(done);

    expect(gateway.requests.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([
      '/things/lamp-1/properties/on',
      '/things/lamp-1/properties/level',
      '/things/lamp-1/properties/color',
    ]);
  });

  test('1,000 sets while one is in flight send only the latest value next, and every caller resolves', async () => {
    const { client, gateway } = await start({ commandChannel: 'rest' });
    await client.connect();
    gateway.holdPuts = true;

    const first = client.setProperty('lamp-1', 'level', 0);
    await gateway.waitForRequest((r) => r.method === 'PUT');
    const rest: Promise<void>[] = [];
    for (let i = 1; i <= 1000; i++) rest.push(client.setProperty('lamp-1', 'level', i));
    gateway.holdPuts = false;
    gateway.release();
    await Promise.all([first, ...rest]);

    const puts = gateway.requests.filter((r) => r.method === 'PUT').map((r) => r.body);
    expect(puts).toEqual(['0', '1000']);
    await waitUntil(() => valuesOf(client, 'lamp-1')?.level === 1000);
  });

  test('a request with no answer fails after requestTimeoutMs', async () => {
    const { client, gateway } = await start({ requestTimeoutMs: 150, commandChannel: 'rest' });
    await client.connect();
    gateway.hang = /properties\/on$/;

    const error = (await client
      .setProperty('kettle', 'on', true)
      .catch((e) => e)) as GatewayRequestError;

    expect(error.message).toBe(
      'Setting a property failed: thing "Kettle" (kettle), property "on", value true: no answer within 150 ms'
    );
    expect(error.status).toBeUndefined();
  });

  test('requestAction POSTs the input to the action form, and {} when there is none', async () => {
    const { client, gateway } = await start();
    await client.connect();

    await client.requestAction('kettle', 'boil', { temperature: 90 });
    await client.requestAction('kettle', 'stop');

    const posts = gateway.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.path, r.body])).toEqual([
      ['/things/kettle/actions/boil', '{"temperature":90}'],
      ['/things/kettle/actions/stop', '{}'],
    ]);
  });
});

describe('reconnecting', () => {
  test('after a gateway restart it reconnects, re-reads everything and reports what changed while away', async () => {
    const { client, gateway, connections } = await start();
    await client.connect();
    const changes: GatewayEvents['propertyChanged'][] = [];
    const added: string[] = [];
    const removed: string[] = [];
    client.on('propertyChanged', (c) => changes.push(c));
    client.on('thingAdded', (t) => added.push(t.description.id));
    client.on('thingRemoved', (t) => removed.push(t.thingId));

    const down = nextEvent(client, 'connection', (c) => c.state === 'down');
    await gateway.stop();
    expect(await down).toMatchObject({ state: 'down', since: expect.any(Number) });
    gateway.received.length = 0;

    gateway.things.get('lamp-1')!.values.on = true;
    gateway.things.delete('kettle');
    gateway.things.set('fan', { id: 'fan', title: 'Fan', properties: {}, values: {} });
    const up = nextEvent(client, 'connection', (c) => c.state === 'up');
    await gateway.start();
    await up;

    expect(changes).toEqual([{ thingId: 'lamp-1', name: 'on', value: true }]);
    expect(added).toEqual(['fan']);
    expect(removed).toEqual(['kettle']);
    expect(client.things().map((t) => t.description.id)).toEqual(['lamp-1', 'button 2', 'fan']);
    // "down" may be repeated while its reason changes (socket lost, then connection refused).
    const states = connections.map((c) => c.state).filter((s, i, all) => s !== all[i - 1]);
    expect(states).toEqual(['connecting', 'up', 'down', 'up']);
    // Event subscriptions are sent again on the new socket.
    await waitUntil(() =>
      gateway.received.some((m) => m.messageType === 'addEventSubscription' && m.id === 'button 2')
    );
  });

  test('close() during the backoff wait cancels the retry and leaves no timers', async () => {
    const { client, gateway, clock } = await start({
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    await client.connect();
    const down = nextEvent(client, 'connection', (c) => c.state === 'down');
    await gateway.stop();
    await down;

    await client.close();
    expect(clock.pending()).toBe(0);
  });

  test('a quiet gateway that answers pings keeps its socket', async () => {
    const { client, gateway, connections } = await start({ idleTimeoutMs: 30 });
    await client.connect();

    await waitUntil(() => gateway.pings >= 3);

    expect(connections.map((c) => c.state)).toEqual(['connecting', 'up']);
  });

  test('a socket that hears nothing, not even a pong, is replaced', async () => {
    const gateway = new FakeGateway(home(), { autoPong: false });
    await gateway.start();
    const { client } = await start({ idleTimeoutMs: 50 }, gateway);
    await client.connect();

    const down = await nextEvent(client, 'connection', (c) => c.state === 'down');
    expect(down).toMatchObject({
      reason: expect.stringContaining('no answer from the gateway for 50 ms, not even to a ping'),
    });
    await nextEvent(client, 'connection', (c) => c.state === 'up');
  });
});

describe('bad input from the gateway', () => {
  test('malformed JSON, unknown messageTypes, unknown things and wrongly typed values become warnings', async () => {
    const { client, gateway, warnings } = await start();
    await client.connect();

    gateway.broadcast('{"messageType": "propertyStatus", ');
    gateway.broadcast({ messageType: 'somethingNew', id: 'lamp-1', data: {} });
    gateway.broadcast({ messageType: 'propertyStatus', id: 'ghost', data: { on: true } });
    gateway.broadcast({ messageType: 'propertyStatus', id: 'lamp-1', data: { level: 'loud' } });
    gateway.broadcast(
      '{"messageType":"propertyStatus","id":"lamp-1","data":{"__proto__":{"on":1}}}'
    );
    gateway.broadcast({ messageType: 'propertyStatus', id: 'lamp-1', data: { on: true } });
    await nextEvent(client, 'propertyChanged');

    expect(warnings.map((w) => w.kind)).toEqual([
      'malformedJson',
      'unknownMessageType',
      'unknownThing',
      'badValue',
      'unknownProperty',
    ]);
    expect(warnings[3].message).toBe(
      '"Porch Light" reported "loud" for "level", which is declared integer; ignored'
    );
    expect(valuesOf(client, 'lamp-1')).toEqual({ on: true, level: 40, color: '#ffffff' });
  });

  test('warnings of one kind are let through once a minute', async () => {
    const { client, gateway, warnings } = await start();
    await client.connect();

    for (let i = 0; i < 50; i++) gateway.broadcast('not json');
    gateway.broadcast({ messageType: 'propertyStatus', id: 'lamp-1', data: { on: true } });
    await nextEvent(client, 'propertyChanged');

    expect(warnings.filter((w) => w.kind === 'malformedJson')).toHaveLength(1);
  });

  test('a listener that throws does not break the socket', async () => {
    const { client, gateway, warnings } = await start();
    await client.connect();
    client.on('propertyChanged', () => {
      throw new Error('rule bug');
    });

    gateway.setValue('lamp-1', 'on', true);
    await waitUntil(() => warnings.length > 0);
    gateway.setValue('lamp-1', 'level', 1);
    await waitUntil(() => valuesOf(client, 'lamp-1')?.level === 1);

    expect(warnings[0]).toEqual({
      kind: 'handlerError',
      message: 'handling a gateway message failed: rule bug',
    });
  });

  test('a message over maxPayloadBytes is refused with a warning and the socket reconnects', async () => {
    const { client, gateway, warnings } = await start({ maxPayloadBytes: 64 * 1024 });
    await client.connect();

    const up = nextEvent(client, 'connection', (c) => c.state === 'up');
    gateway.broadcast({
      messageType: 'propertyStatus',
      id: 'lamp-1',
      data: { color: 'x'.repeat(100_000) },
    });
    await up;

    expect(warnings.map((w) => w.kind)).toContain('hugeMessage');
    expect(valuesOf(client, 'lamp-1')?.color).toBe('#ffffff');
  });
});

/** Polls `condition` every few milliseconds (for effects that have no event of their own). */
