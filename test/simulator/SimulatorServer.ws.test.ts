/** The simulator's WebSockets over real sockets: auth, the connect sequence, and the gateway's messages. */
import { SimulatorServer } from '../../src/simulator';
import { api, Client, Message, startServer } from './serverHelpers';

// Six bulbs with on/color/level, the bedside light's on/level, three plugs' on, the motion sensor's motion.
const SEED_PROPERTIES = 6 * 3 + 2 + 3 + 1;

let server: SimulatorServer;
const clients: Client[] = [];
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await server.stop();
});

async function open(path = '/things', token?: string | null): Promise<Client> {
  const client = await Client.open(server, path, token);
  clients.push(client);
  return client;
}

/** Opens a socket and waits until its greeting (one propertyStatus per property) is complete. */
async function greeted(path = '/things', count = SEED_PROPERTIES): Promise<Client> {
  const client = await open(path);
  await client.until((ms) => ms.filter((m) => m.messageType === 'propertyStatus').length >= count);
  return client;
}

describe('SimulatorServer WebSocket', () => {
  test('an unauthenticated socket is closed at once without a message', async () => {
    const client = await open('/things', null);
    await client.until(() => false);
    expect(client.closeCode).toBe(1005);
    expect(client.messages).toEqual([]);
  });

  test('an Authorization header is accepted instead of ?jwt=', async () => {
    const WebSocket = (await import('ws')).default;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/things/sim-kettle`, {
      headers: { Authorization: 'Bearer test-token-0123456789' },
    });
    const first = await new Promise<Message>((resolve) =>
      ws.once('message', (d) => resolve(JSON.parse(d.toString()) as Message))
    );
    ws.close();
    expect(first).toEqual({ id: 'sim-kettle', messageType: 'connected', data: true });
  });

  test('on connect every thing is reported connected, then each property in its own message', async () => {
    const client = await greeted();
    const connected = client.messages.filter((m) => m.messageType === 'connected');
    expect(connected).toHaveLength(13);
    expect(connected[0]).toEqual({
      id: 'sim-philips-hue-01',
      messageType: 'connected',
      data: true,
    });
    const firstStatus = client.messages.findIndex((m) => m.messageType === 'propertyStatus');
    expect(firstStatus).toBe(13);
    expect(client.messages[13]).toEqual({
      id: 'sim-philips-hue-01',
      messageType: 'propertyStatus',
      data: { on: false },
    });
    expect(client.messages).toContainEqual({
      id: 'sim-motion-sensor',
      messageType: 'propertyStatus',
      data: { motion: false },
    });
  });

  test('a per-thing socket greets with that thing only', async () => {
    const client = await greeted('/things/sim-philips-hue-05', 3);
    expect(client.messages.map((m) => [m.id, m.messageType, m.data])).toEqual([
      ['sim-philips-hue-05', 'connected', true],
      ['sim-philips-hue-05', 'propertyStatus', { on: false }],
      ['sim-philips-hue-05', 'propertyStatus', { color: '#ffffff' }],
      ['sim-philips-hue-05', 'propertyStatus', { level: 100 }],
    ]);
  });

  test('a socket for an unknown thing gets a 404 error and is closed', async () => {
    const client = await open('/things/toaster');
    await client.until(() => false);
    expect(client.messages).toEqual([
      {
        messageType: 'error',
        data: { code: 404, status: '404 Not Found', message: 'Thing toaster not found' },
      },
    ]);
  });

  test('setProperty over one socket sends propertyStatus to every socket', async () => {
    const all = await greeted();
    const one = await greeted('/things/sim-philips-hue-01', 3);
    const other = await greeted('/things/sim-kettle', 1);
    const [fromAll, fromOne] = [all.messages.length, one.messages.length];
    all.send({ id: 'sim-philips-hue-01', messageType: 'setProperty', data: { color: '#ff0000' } });
    const expected = {
      id: 'sim-philips-hue-01',
      messageType: 'propertyStatus',
      data: { color: '#ff0000' },
    };
    expect(await all.next('propertyStatus', fromAll)).toEqual(expected);
    expect(await one.next('propertyStatus', fromOne)).toEqual(expected);
    // The kettle socket must not hear of the bulb; a later kettle change proves it is still live.
    await api(server, '/things/sim-kettle/properties/on', { method: 'PUT', body: 'true' });
    expect(await other.next('propertyStatus', 2)).toMatchObject({
      id: 'sim-kettle',
      data: { on: true },
    });
    expect(other.messages.filter((m) => m.id === 'sim-philips-hue-01')).toEqual([]);
  });

  test('setProperty of the value a property already has is reported too (its confirmation)', async () => {
    const client = await greeted('/things/sim-kettle', 1);
    client.send({ id: 'sim-kettle', messageType: 'setProperty', data: { on: false } });
    expect(await client.next('propertyStatus', 2)).toEqual({
      id: 'sim-kettle',
      messageType: 'propertyStatus',
      data: { on: false },
    });
  });

  test('setProperty on a per-thing socket may omit the id', async () => {
    const client = await greeted('/things/sim-porch-light', 1);
    client.send({ messageType: 'setProperty', data: { on: true } });
    expect(await client.next('propertyStatus', 2)).toEqual({
      id: 'sim-porch-light',
      messageType: 'propertyStatus',
      data: { on: true },
    });
  });

  test('an invalid setProperty gets an error naming thing, property and value', async () => {
    const client = await greeted();
    const request = { id: 'sim-philips-hue-02', messageType: 'setProperty', data: { level: 300 } };
    client.send(request);
    const error = await client.next('error');
    expect(error.data).toEqual({
      code: 400,
      status: '400 Bad Request',
      message: expect.stringContaining(
        '"Philips HUE 02" (sim-philips-hue-02) property "level" = 300'
      ),
      request,
    });
  });

  test('malformed JSON, an unknown messageType or thing gets an error and the socket stays usable', async () => {
    const client = await greeted();
    client.send('{not json');
    client.send({ id: 'sim-kettle', messageType: 'dance', data: {} });
    client.send({ id: 'toaster', messageType: 'setProperty', data: { on: true } });
    client.send({ messageType: 'setProperty', data: { on: true } });
    await client.until((ms) => ms.filter((m) => m.messageType === 'error').length === 4);
    const errors = client.messages.filter((m) => m.messageType === 'error');
    expect(errors.map((m) => (m.data as { message: string }).message)).toEqual([
      'Parsing request failed',
      'Unknown messageType: dance',
      'Thing toaster not found',
      'Missing thing id',
    ]);
    const count = client.messages.length;
    client.send({ id: 'sim-kettle', messageType: 'setProperty', data: { on: true } });
    expect(await client.next('propertyStatus', count)).toMatchObject({ data: { on: true } });
  });

  test('a button press reaches sockets subscribed to its event', async () => {
    const subscribed = await greeted();
    const unsubscribed = await greeted();
    subscribed.send({
      id: 'sim-button-1',
      messageType: 'addEventSubscription',
      data: { pressed: {} },
    });
    // A round trip guarantees the subscription was handled before the press.
    const before = subscribed.messages.length;
    subscribed.send({ id: 'sim-kettle', messageType: 'setProperty', data: { on: true } });
    await subscribed.next('propertyStatus', before);
    server.home.press('Button 1');
    const event = await subscribed.next('event');
    expect(event).toEqual({
      id: 'sim-button-1',
      messageType: 'event',
      data: { pressed: { timestamp: expect.any(String) } },
    });
    await unsubscribed.until((ms) =>
      ms.some(
        (m) =>
          m.id === 'sim-kettle' &&
          m.messageType === 'propertyStatus' &&
          (m.data as { on: boolean }).on
      )
    );
    expect(unsubscribed.messages.filter((m) => m.messageType === 'event')).toEqual([]);
  });

  test('things added, modified and removed are announced', async () => {
    const client = await greeted();
    const from = client.messages.length;
    server.home.addThing({
      id: 'sim-fan',
      title: 'Fan',
      properties: { on: { type: 'boolean', value: false } },
    });
    server.home.renameThing('sim-fan', 'Ceiling Fan');
    server.home.removeThing('sim-fan');
    await client.until((ms) => ms.some((m) => m.messageType === 'thingRemoved'));
    expect(client.messages.slice(from)).toEqual([
      { id: 'sim-fan', messageType: 'thingAdded', data: {} },
      { id: 'sim-fan', messageType: 'connected', data: true },
      { id: 'sim-fan', messageType: 'propertyStatus', data: { on: false } },
      { id: 'sim-fan', messageType: 'thingModified', data: {} },
      { id: 'sim-fan', messageType: 'thingRemoved', data: {} },
    ]);
  });

  test('a per-thing socket closes when its thing is removed', async () => {
    const client = await greeted('/things/sim-coffee-maker', 1);
    server.home.removeThing('sim-coffee-maker');
    await client.until(() => false);
    expect(client.closeCode).toBeDefined();
  });

  test('a device going offline is reported as connected false', async () => {
    const client = await greeted();
    const before = client.messages.length;
    server.home.setConnected('sim-kettle', false);
    expect(await client.next('connected', before)).toEqual({
      id: 'sim-kettle',
      messageType: 'connected',
      data: false,
    });
  });

  test('requestAction reports the action pending then completed', async () => {
    server.home.addThing({ id: 'sim-bell', title: 'Bell', actions: { ring: {} } });
    const client = await greeted('/things/sim-bell', 0);
    client.send({ messageType: 'requestAction', data: { ring: { input: {} } } });
    await client.until((ms) => ms.filter((m) => m.messageType === 'actionStatus').length === 2);
    const statuses = client.messages.filter((m) => m.messageType === 'actionStatus');
    expect(statuses.map((m) => (m.data as Record<string, { status: string }>).ring.status)).toEqual(
      ['pending', 'completed']
    );
  });

  test('stop closes open sockets', async () => {
    const client = await greeted();
    await server.stop();
    await client.until(() => false);
    expect(client.closeCode).toBeDefined();
  });
});
