/** WebThingClient against the project's simulator server: the client and the simulated gateway agree on the wire. */
import { RealClock } from '../../src/clock';
import { SimulatorServer } from '../../src/simulator';
import { WebThingClient } from '../../src/webthing';
import { nextEvent } from './nextEvent';

const TOKEN = 'sim-token-5e4d3c2b1a';

let server: SimulatorServer;
let client: WebThingClient;
let clock: RealClock;

beforeEach(async () => {
  server = new SimulatorServer({ token: TOKEN });
  await server.start();
  clock = new RealClock('UTC');
  client = new WebThingClient({
    gatewayUrl: server.url,
    token: TOKEN,
    backoff: { initialMs: 20, maxMs: 100 },
    clock,
  });
});

afterEach(async () => {
  await client.close();
  await server.stop();
  expect(clock.pending()).toBe(0);
});

test('every simulated thing is read with its values', async () => {
  await client.connect();

  const ids = client.things().map((t) => t.description.id);
  expect(ids).toEqual(server.home.thingIds());
  for (const thing of client.things()) {
    expect(thing.values).toEqual(server.home.values(thing.description.id));
  }
});

test('a set reaches the simulated device and comes back as propertyChanged', async () => {
  await client.connect();
  const changed = nextEvent(client, 'propertyChanged', (c) => c.thingId === 'sim-porch-light');

  await client.setProperty('sim-porch-light', 'on', true);

  expect(server.home.getProperty('sim-porch-light', 'on')).toBe(true);
  expect(await changed).toEqual({ thingId: 'sim-porch-light', name: 'on', value: true });
});

test('a pressed button arrives as an event (the client subscribed to it)', async () => {
  await client.connect();
  // The subscription travels on the socket after connect(); the propertyStatus of a set comes
  // back on that socket after the server has read it, so then the subscription is in place.
  const echoed = nextEvent(client, 'propertyChanged', (c) => c.thingId === 'sim-porch-light');
  await client.setProperty('sim-porch-light', 'on', true);
  await echoed;
  const event = nextEvent(client, 'event');

  server.home.press('Button 1');

  expect(await event).toMatchObject({ thingId: 'sim-button-1', name: 'pressed' });
});

test('a simulator restart is noticed, and values changed meanwhile are reported', async () => {
  await client.connect();
  const down = nextEvent(client, 'connection', (c) => c.state === 'down');
  const port = server.port;
  await server.stop();
  await down;

  server.home.setProperty('sim-kettle', 'on', true);
  const changed = nextEvent(client, 'propertyChanged', (c) => c.thingId === 'sim-kettle');
  const up = nextEvent(client, 'connection', (c) => c.state === 'up');
  await server.start(port);

  expect(await changed).toEqual({ thingId: 'sim-kettle', name: 'on', value: true });
  await up;
});
