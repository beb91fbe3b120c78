/** LocalGateway: the GatewayConnection contract over an in-process SimulatedHome, in gateway order. */
import { GatewayEvents } from '../../src/protocol/gateway';
import { LocalGateway, seedHome } from '../../src/simulator';
import { VirtualClock } from '../../src/clock';

function record<K extends keyof GatewayEvents>(
  gateway: LocalGateway,
  event: K
): GatewayEvents[K][] {
  const seen: GatewayEvents[K][] = [];
  gateway.on(event, (payload) => seen.push(payload));
  return seen;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function connected(): Promise<LocalGateway> {
  const gateway = new LocalGateway(seedHome(), new VirtualClock('2027-01-01T00:00'));
  await gateway.connect();
  return gateway;
}

describe('LocalGateway', () => {
  test('connect lists every thing with gateway-shaped descriptions and values', async () => {
    const gateway = await connected();
    const things = gateway.things();
    expect(things).toHaveLength(13);
    const hue = things.find((t) => t.description.title === 'Philips HUE 01')!;
    expect(hue.description.id).toBe('philips-hue-01');
    expect(hue.description.href).toBe('/things/philips-hue-01');
    expect(hue.description.properties.on.forms?.[0].href).toBe(
      '/things/philips-hue-01/properties/on'
    );
    expect(hue.values).toEqual({ on: false, color: '#ffffff', level: 100 });
    expect(hue.connected).toBe(true);
  });

  test('a set resolves first and the change is reported afterwards', async () => {
    const gateway = await connected();
    const order: string[] = [];
    gateway.on('propertyChanged', (p) => order.push(`changed ${p.name}=${String(p.value)}`));
    const set = gateway.setProperty('kettle', 'on', true).then(() => order.push('resolved'));
    expect(order).toEqual([]);
    await set;
    await settle();
    expect(order).toEqual(['resolved', 'changed on=true']);
    expect(gateway.things().find((t) => t.description.id === 'kettle')!.values.on).toBe(true);
  });

  test('setting the value a property already has reports nothing', async () => {
    const gateway = await connected();
    const changes = record(gateway, 'propertyChanged');
    await gateway.setProperty('kettle', 'on', false);
    await settle();
    expect(changes).toEqual([]);
  });

  test('an invalid set rejects naming thing, property and value, and changes nothing', async () => {
    const gateway = await connected();
    await expect(gateway.setProperty('philips-hue-04', 'level', 250)).rejects.toThrow(
      'Invalid property value: "Philips HUE 04" (philips-hue-04) property "level" = 250'
    );
    await expect(gateway.setProperty('motion-sensor', 'motion', true)).rejects.toThrow(
      'Read-only property'
    );
    await expect(gateway.setProperty('nothing-here', 'on', true)).rejects.toThrow(
      'Unknown thing: "nothing-here"'
    );
    expect(gateway.home.getProperty('philips-hue-04', 'level')).toBe(100);
  });

  test('device changes, button presses and connectivity arrive asynchronously', async () => {
    const gateway = await connected();
    const changes = record(gateway, 'propertyChanged');
    const events = record(gateway, 'event');
    const connectivity = record(gateway, 'thingConnected');
    gateway.home.setProperty('motion-sensor', 'motion', true);
    gateway.home.press('Button 1');
    gateway.home.setConnected('kettle', false);
    expect(changes).toEqual([]);
    await settle();
    expect(changes).toEqual([{ thingId: 'motion-sensor', name: 'motion', value: true }]);
    expect(events).toEqual([{ thingId: 'button-1', name: 'pressed', data: undefined }]);
    expect(connectivity).toEqual([{ thingId: 'kettle', connected: false }]);
  });

  test('things added, modified and removed update the list and are reported', async () => {
    const gateway = await connected();
    const added = record(gateway, 'thingAdded');
    const modified = record(gateway, 'thingModified');
    const removed = record(gateway, 'thingRemoved');
    gateway.home.addThing({
      id: 'fan',
      title: 'Fan',
      properties: { on: { type: 'boolean', value: false } },
    });
    gateway.home.renameThing('fan', 'Ceiling Fan');
    gateway.home.removeThing('kettle');
    await settle();
    expect(added.map((s) => s.description.title)).toEqual(['Fan']);
    expect(modified.map((s) => s.description.title)).toEqual(['Ceiling Fan']);
    expect(removed).toEqual([{ thingId: 'kettle' }]);
    const titles = gateway.things().map((t) => t.description.title);
    expect(titles).toContain('Ceiling Fan');
    expect(titles).not.toContain('Kettle');
  });

  test('a dropped connection rejects sets and reports what changed once restored', async () => {
    const clock = new VirtualClock('2027-01-01T00:00');
    const gateway = new LocalGateway(seedHome(), clock);
    await gateway.connect();
    const states = record(gateway, 'connection');
    const changes = record(gateway, 'propertyChanged');
    gateway.dropConnection('test');
    await expect(gateway.setProperty('kettle', 'on', true)).rejects.toThrow('Gateway unreachable');
    gateway.home.writeProperty('porch-light', 'on', true);
    await settle();
    expect(changes).toEqual([]);
    gateway.restoreConnection();
    await settle();
    expect(states).toEqual([
      { state: 'down', since: clock.nowMs(), reason: 'test' },
      { state: 'up' },
    ]);
    expect(changes).toEqual([{ thingId: 'porch-light', name: 'on', value: true }]);
  });

  test('a listener that throws becomes a warning, not a crash', async () => {
    const gateway = await connected();
    const warnings = record(gateway, 'warning');
    gateway.on('propertyChanged', () => {
      throw new Error('boom');
    });
    await gateway.setProperty('kettle', 'on', true);
    await settle();
    expect(warnings).toEqual([
      { kind: 'listener', message: 'A listener of "propertyChanged" threw: boom' },
    ]);
  });

  test('after close nothing more is reported', async () => {
    const gateway = await connected();
    const changes = record(gateway, 'propertyChanged');
    await gateway.close();
    gateway.home.writeProperty('kettle', 'on', true);
    await settle();
    expect(changes).toEqual([]);
  });
});
