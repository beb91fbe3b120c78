/** The simulator's REST API over real sockets: auth, bare values, the gateway's status codes. */
import fetch from 'node-fetch';
import { ThingDescription } from '../../src/protocol/gateway';
import { SimulatorServer } from '../../src/simulator';
import { api, startServer, TOKEN } from './serverHelpers';

let server: SimulatorServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.stop());

const put = (path: string, body: string) => api(server, path, { method: 'PUT', body });

describe('SimulatorServer REST', () => {
  test('it listens on 127.0.0.1 on the port it reports', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  test('a request without a token or with a wrong one gets 401 JSON', async () => {
    const missing = await fetch(`${server.url}/things`, {
      headers: { Accept: 'application/json' },
    });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await missing.json()).toEqual({ error: 'Unauthorized' });
    const wrong = await api(server, '/things', { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  test('a request that does not ask for JSON gets the web app page, as from the gateway', async () => {
    const response = await fetch(`${server.url}/things`, {
      headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'text/html' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<!DOCTYPE html>');
  });

  test('GET /things lists gateway-shaped descriptions with forms and links', async () => {
    const things = (await (await api(server, '/things')).json()) as ThingDescription[];
    expect(things.map((t) => t.title)).toContain('Bedside Ikea Light');
    const hue = things.find((t) => t.title === 'Philips HUE 01')!;
    expect(hue).toMatchObject({
      id: `http://127.0.0.1:${server.port}/things/philips-hue-01`,
      href: '/things/philips-hue-01',
      '@type': ['Light', 'OnOffSwitch', 'ColorControl'],
      '@context': expect.arrayContaining(['https://webthings.io/schemas']),
    });
    expect(hue.properties.level.forms?.[0]).toEqual({
      href: '/things/philips-hue-01/properties/level',
    });
    expect(hue.links).toContainEqual({
      rel: 'alternate',
      href: `ws://127.0.0.1:${server.port}/things/philips-hue-01`,
    });
    const button = things.find((t) => t.title === 'Button 1')!;
    expect(button.events?.pressed['@type']).toBe('PushedEvent');
  });

  test('GET /things/<id> describes one thing and 404s an unknown one', async () => {
    const kettle = (await (await api(server, '/things/kettle')).json()) as { title: string };
    expect(kettle.title).toBe('Kettle');
    expect((await api(server, '/things/toaster')).status).toBe(404);
  });

  test('property values are bare JSON, alone or as an object of all', async () => {
    expect(await (await api(server, '/things/philips-hue-02/properties/on')).json()).toBe(false);
    expect(await (await api(server, '/things/philips-hue-02/properties')).json()).toEqual({
      on: false,
      color: '#ffffff',
      level: 100,
    });
  });

  test('PUT of a bare value answers 204 with an empty body and changes the value', async () => {
    const response = await put('/things/philips-hue-02/properties/on', 'true');
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(await (await api(server, '/things/philips-hue-02/properties/on')).json()).toBe(true);
  });

  test.each([
    [
      'a {"on":true} wrapper',
      '/things/kettle/properties/on',
      '{"on":true}',
      'Invalid property value',
    ],
    [
      'an out-of-range level',
      '/things/philips-hue-01/properties/level',
      '101',
      'Invalid property value',
    ],
    [
      'a read-only property',
      '/things/motion-sensor/properties/motion',
      'true',
      'Read-only property',
    ],
    ['malformed JSON', '/things/kettle/properties/on', '{tru', 'Invalid property value'],
  ])('PUT of %s answers 400 with the gateway text', async (_what, path, body, text) => {
    const response = await put(path, body);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(text);
  });

  test('PUT to an unknown thing or property answers 404', async () => {
    expect((await put('/things/toaster/properties/on', 'true')).status).toBe(404);
    expect(await (await put('/things/kettle/properties/level', '3')).text()).toBe(
      'Property not found'
    );
  });

  test('PUT /things/<id>/properties writes several properties at once', async () => {
    const response = await put('/things/philips-hue-03/properties', '{"on":true,"level":20}');
    expect(response.status).toBe(204);
    expect(server.home.values('philips-hue-03')).toEqual({ on: true, color: '#ffffff', level: 20 });
  });

  test('POST of an action answers 201 with its status and 400 for an unknown action', async () => {
    server.home.addThing({ id: 'bell', title: 'Bell', actions: { ring: { title: 'Ring' } } });
    const response = await api(server, '/things/bell/actions/ring', { method: 'POST', body: '{}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/things/bell/actions/ring/1');
    expect(await response.json()).toMatchObject({ href: '/things/bell/actions/ring/1' });
    const unknown = await api(server, '/things/bell/actions/dance', { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(400);
  });

  test('it can be stopped and started again on the same port', async () => {
    const port = server.port;
    await server.stop();
    await expect(api(server, '/things')).rejects.toThrow();
    await server.start(port);
    expect(server.port).toBe(port);
    expect((await api(server, '/things')).status).toBe(200);
  });
});
