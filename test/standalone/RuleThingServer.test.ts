/**
 * The standalone runner's RuleThings served with `webthing` over HTTP on 127.0.0.1: their
 * description, switching a rule, a setting refused with a message, and the fired event; each at
 * a URL made of its rule's id. Security (token, Host, Origin) is in RuleThingServer.guard.test.ts.
 */
import fetch from 'node-fetch';
import type { JsonValue } from '../../src/protocol/gateway';
import type { RuleInfo } from '../../src/engine/messages';
import { RuleThingServer } from '../../src/standalone/RuleThingServer';

/** A thing description or property answer as JSON; the tests read only a few members. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const WAKE: RuleInfo = {
  id: 'morning-wake',
  name: 'MorningWakeRule',
  title: 'Morning Wake',
  file: 'morning-wake.ts',
  description: 'At 06:30 on weekdays, turn Bedside Ikea Light on',
  kind: 'if',
  settings: [
    {
      name: 'alarmTime',
      title: 'Alarm time',
      type: 'string',
      value: '06:30',
      default: '06:30',
      pattern: '^([01]\\d|2[0-3]):[0-5]\\d$',
    },
  ],
  enabled: true,
  active: false,
  lastFired: null,
  nextFire: null,
  status: 'ok',
};

const SERVE_TOKEN = 'serve-token-for-the-test-5d7e1a';

let server: RuleThingServer;
let base: string;
const calls: { kind: string; args: unknown[] }[] = [];
let refuseSettings = false;

beforeEach(async () => {
  calls.length = 0;
  refuseSettings = false;
  server = new RuleThingServer({
    setEnabled: (...args) => calls.push({ kind: 'enabled', args }),
    setSetting: async (...args: [string, string, JsonValue]) => {
      calls.push({ kind: 'setting', args });
      if (refuseSettings) throw new Error('the engine refused it');
    },
    run: (...args) => calls.push({ kind: 'run', args }),
  });
  const port = await server.start({ port: 0, host: '127.0.0.1', token: SERVE_TOKEN });
  base = `http://127.0.0.1:${port}`;
  server.showRules([WAKE]);
});

afterEach(() => server.stop());

const json = {
  Accept: 'application/json',
  'Content-Type': 'application/json',
  Authorization: `Bearer ${SERVE_TOKEN}`,
};

async function put(path: string, body: unknown) {
  return fetch(`${base}${path}`, { method: 'PUT', headers: json, body: JSON.stringify(body) });
}

async function get(path: string) {
  return (await (await fetch(`${base}${path}`, { headers: json })).json()) as Record<string, Json>;
}

describe('RuleThingServer', () => {
  it('serves each rule as a Web Thing with the RuleThing members', async () => {
    const things = (await get('/')) as unknown as Record<string, Json>[];
    expect(things).toHaveLength(1);
    const wake = things[0];
    expect(wake.title).toBe('Morning Wake');
    expect(wake['@type']).toEqual(['OnOffSwitch']);
    expect(Object.keys(wake.properties)).toEqual([
      'enabled',
      'alarmTime',
      'active',
      'lastFired',
      'nextFire',
      'status',
    ]);
    expect(wake.properties.enabled['@type']).toBe('OnOffProperty');
    expect(wake.properties.status.readOnly).toBe(true);
    expect(Object.keys(wake.events)).toEqual(['fired']);
    expect(Object.keys(wake.actions)).toEqual(['run']);
  });

  it('passes a switch of enabled on to the engine', async () => {
    const response = await put('/morning-wake/properties/enabled', { enabled: false });
    expect(response.status).toBe(200);
    expect(calls).toEqual([{ kind: 'enabled', args: ['morning-wake', false] }]);
    expect(await get('/morning-wake/properties/enabled')).toEqual({ enabled: false });
  });

  it('refuses alarmTime "25:99" and keeps "06:30", telling the engine nothing', async () => {
    const response = await put('/morning-wake/properties/alarmTime', { alarmTime: '25:99' });
    expect(response.status).toBe(400);
    expect(calls).toEqual([]);
    expect(await get('/morning-wake/properties/alarmTime')).toEqual({ alarmTime: '06:30' });
  });

  it('shows the rule value again when the engine refuses a setting', async () => {
    refuseSettings = true;
    await put('/morning-wake/properties/alarmTime', { alarmTime: '07:00' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([{ kind: 'setting', args: ['morning-wake', 'alarmTime', '07:00'] }]);
    expect(await get('/morning-wake/properties/alarmTime')).toEqual({ alarmTime: '06:30' });
  });

  it('follows the engine: a new status, a firing, a removed rule', async () => {
    server.showRule({ ...WAKE, status: 'error in action: boom' });
    expect(await get('/morning-wake/properties/status')).toEqual({
      status: 'error in action: boom',
    });
    server.fired({
      ruleId: 'morning-wake',
      at: '2027-03-29T04:30:00.000Z',
      trigger: 'at 06:30 on weekdays',
      property: 'activated',
      value: true,
      changes: [],
    });
    expect(await get('/morning-wake/properties/lastFired')).toEqual({
      lastFired: '2027-03-29T04:30:00.000Z',
    });
    const events = (await get('/morning-wake/events')) as unknown as Record<string, Json>[];
    expect(events.map((e) => e.fired.data)).toEqual(['at 06:30 on weekdays']);
    server.dropRule('morning-wake');
    expect(await get('/')).toEqual([]);
  });

  it("serves each thing at its rule's id, whatever the order or number of rules", async () => {
    const hrefs = async () =>
      Object.fromEntries(
        ((await get('/')) as unknown as Record<string, Json>[]).map((t) => [t.title, t.href])
      );
    expect(await hrefs()).toEqual({ 'Morning Wake': '/morning-wake' });
    const rainbow = { ...WAKE, id: 'rainbow', title: 'Rainbow', settings: [] };
    const porch = { ...WAKE, id: 'porch-light', title: 'Porch Light', settings: [] };
    server.showRules([rainbow, WAKE, porch]);
    server.showRules([porch, WAKE]);
    expect(await hrefs()).toEqual({
      'Morning Wake': '/morning-wake',
      'Porch Light': '/porch-light',
    });
    expect(await get('/porch-light/properties/enabled')).toEqual({ enabled: true });
    expect((await fetch(`${base}/rainbow`, { headers: json })).status).toBe(404);
  });

  it('keeps the URL across a restart that loads the rules in another order', async () => {
    const porch = { ...WAKE, id: 'porch-light', title: 'Porch Light', settings: [] };
    server.showRules([WAKE, porch]);
    await server.stop();
    server = new RuleThingServer({
      setEnabled: () => {},
      setSetting: async () => {},
      run: () => {},
    });
    const port = await server.start({ port: 0, host: '127.0.0.1', token: SERVE_TOKEN });
    base = `http://127.0.0.1:${port}`;
    server.showRules([porch, WAKE]);
    const wake: Json = ((await get('/')) as unknown as Record<string, Json>[]).find(
      (t) => t.title === 'Morning Wake'
    );
    expect(wake.href).toBe('/morning-wake');
    expect(wake.properties.enabled.links ?? wake.properties.enabled.forms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ href: '/morning-wake/properties/enabled' }),
      ])
    );
  });

  it('runs the rule from its run action', async () => {
    const response = await fetch(`${base}/morning-wake/actions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ run: {} }),
    });
    expect(response.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual([{ kind: 'run', args: ['morning-wake'] }]);
  });
});
