/**
 * Issue 6, point 7: a gateway that sends malformed JSON, unknown message types, values of the
 * wrong type, huge strings, a 10 MB message and unknown thing ids, answers 500 or never answers:
 * nothing crashes, rules keep working, requests time out, and each kind is logged once a minute.
 */
import { VirtualClock } from '../../src/clock';
import { RuleSystem } from '../../src/engine/RuleSystem';
import { WebThingClient } from '../../src/webthing';
import { Rule } from 'rule-things';
import { FakeGateway, TOKEN } from '../webthing/FakeGateway';
import { BERLIN, Lines } from './stack';
import { nextEvent } from '../webthing/nextEvent';

class KettleFollowsLampRule extends Rule {
  triggers() {
    return [this.thing('lamp-1')];
  }

  action() {
    this.thing('kettle').on = this.thing('lamp-1').on;
  }
}

const RULE = 'kettle-follows-lamp';

let gateway: FakeGateway;
let client: WebThingClient;
let system: RuleSystem;
let clock: VirtualClock;
let lines: Lines;

beforeEach(async () => {
  gateway = new FakeGateway([
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
      id: 'kettle',
      title: 'Kettle',
      properties: { on: { type: 'boolean' } },
      values: { on: false },
    },
  ]);
  await gateway.start();
  clock = new VirtualClock('2027-06-14T08:00', 'Europe/Berlin');
  lines = new Lines();
  client = new WebThingClient({
    gatewayUrl: gateway.url,
    token: TOKEN,
    clock,
    requestTimeoutMs: 10_000,
    // The faults here are REST answers (500, none at all); their WebSocket counterparts (an
    // `error`, no confirmation) are in test/webthing/WebThingClient.test.ts.
    commandChannel: 'rest',
    logger: (level, message) => lines.push(`client ${level}: ${message}`),
  });
  system = new RuleSystem({
    gateway: client,
    clock,
    place: BERLIN,
    log: (level, message) => lines.push(`engine ${level}: ${message}`),
  });
  system.addRule(KettleFollowsLampRule, { id: RULE });
  await system.start();
});

afterEach(async () => {
  await system.stop();
  await gateway.stop();
  lines.close();
});

/** Switches the lamp so that the rule must change the kettle; resolves once the kettle followed. */
async function rulesStillWork(): Promise<void> {
  const kettle = client.things().find((t) => t.description.id === 'kettle')!.values.on as boolean;
  gateway.setValue('lamp-1', 'on', kettle);
  const followed = nextEvent(
    client,
    'propertyChanged',
    (c) => c.thingId === 'kettle' && c.value === !kettle
  );
  gateway.setValue('lamp-1', 'on', !kettle);
  await followed;
}

test('garbage on the WebSocket is ignored with one warning per kind, and the rules go on', async () => {
  for (let i = 0; i < 3; i++) {
    gateway.broadcast('{"messageType": "propertyStatus", ');
    gateway.broadcast({ messageType: 'somethingNew', id: 'lamp-1', data: {} });
    gateway.broadcast({ messageType: 'propertyStatus', id: 'ghost', data: { on: true } });
    gateway.broadcast({ messageType: 'propertyStatus', id: 'lamp-1', data: { level: 'loud' } });
    gateway.broadcast({ messageType: 'propertyStatus', id: 'lamp-1', data: { on: 'yes' } });
    gateway.broadcast({ messageType: 'propertyStatus', id: 'lamp-1', data: { level: null } });
    gateway.broadcast({
      messageType: 'propertyStatus',
      id: 'lamp-1',
      data: { color: 'x'.repeat(1_000_000) },
    });
    gateway.broadcast({ messageType: 'connected', id: 'lamp-1', data: 'sort of' });
    gateway.broadcast([1, 2, 3]);
  }
  await rulesStillWork();

  for (const kind of [
    /not JSON/,
    /unknown gateway messageType/,
    /names thing "ghost", which the gateway did not list/,
    /reported .* for "(level|on)", which is declared/,
    /lacks a string id or its data/,
  ]) {
    expect(lines.count(new RegExp(`client warn: .*${kind.source}`))).toBe(1);
  }
  // "[1,2,3]" is malformed too: the same kind, so it was held back with the others.
  expect(lines.count(/not an object/)).toBe(0);
  expect(system.rule(RULE)!.status).toBe('ok');
  // A long warning is cut short: no line carries the megabyte.
  expect(Math.max(...lines.all.map((l) => l.length))).toBeLessThan(1000);
});

test('a 10 MB message costs a reconnect with one warning, not the heap, and the rules go on', async () => {
  const down = nextEvent(client, 'connection', (c) => c.state === 'down');
  gateway.broadcast({
    messageType: 'propertyStatus',
    id: 'lamp-1',
    data: { color: 'x'.repeat(10 * 1024 * 1024) },
  });
  await down;
  const [, delay] = await lines.take(/reconnecting to the gateway in (\d+) ms/);
  const up = nextEvent(client, 'connection', (c) => c.state === 'up');
  await clock.advance(`${delay}ms`);
  await up;

  await rulesStillWork();
  expect(
    lines.count(/client warn: the gateway sent a message over the size limit; reconnecting/)
  ).toBe(1);
  expect(client.things().find((t) => t.description.id === 'lamp-1')!.values.color).toBe('#ffffff');
});

test('an HTTP 500 becomes the rule status, naming the thing, the property and the value', async () => {
  gateway.failures.set('/things/kettle/properties/on', 500);
  const refused = new Promise<string>((resolve) =>
    system.on('ruleChanged', (r) => r.status !== 'ok' && resolve(r.status))
  );
  gateway.setValue('lamp-1', 'on', true);
  expect(await refused).toBe(
    'write refused: Setting a property failed: thing "Kettle" (kettle), property "on", value true: HTTP 500 Invalid property value'
  );
  gateway.failures.clear();
  await rulesStillWork();
});

test('a request that never gets an answer fails after the request timeout, and so does a hanging read at reconnect', async () => {
  gateway.hang = /properties\/on$/;
  const refused = new Promise<string>((resolve) =>
    system.on('ruleChanged', (r) => r.status !== 'ok' && resolve(r.status))
  );
  gateway.setValue('lamp-1', 'on', true);
  await gateway.waitForRequest((r) => r.method === 'PUT');
  await clock.advance('10s');
  expect(await refused).toMatch(
    /thing "Kettle" \(kettle\), property "on", value true: no answer within 10000 ms$/
  );

  // The gateway restarts and then hangs on GET /things: the attempt times out and is retried.
  gateway.hang = /^\/things$/;
  const down = nextEvent(client, 'connection', (c) => c.state === 'down');
  await gateway.stop();
  await gateway.start();
  await down;
  const [, first] = await lines.take(/reconnecting to the gateway in (\d+) ms/);
  await clock.advance(`${first}ms`);
  await gateway.waitForRequest((r) => r.path === '/things' && r.method === 'GET');
  await clock.advance('10s');
  await lines.take(
    /gateway connection down: GET .*\/things failed: no answer within 10000 ms|no answer within 10000 ms/
  );
  gateway.hang = undefined;
  const [, second] = await lines.take(/reconnecting to the gateway in (\d+) ms/);
  const up = nextEvent(client, 'connection', (c) => c.state === 'up');
  await clock.advance(`${second}ms`);
  await up;
  await rulesStillWork();
});
