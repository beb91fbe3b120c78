/** SimulatedHome: validation with clear messages, device-side changes, events and things coming and going. */
import { seedHome, SimulatedHome, SimulatorError } from '../../src/simulator';
import { HomeEvents } from '../../src/simulator/HomeEvents';

function record<K extends keyof HomeEvents>(home: SimulatedHome, event: K): HomeEvents[K][] {
  const seen: HomeEvents[K][] = [];
  home.on(event, (payload) => seen.push(payload));
  return seen;
}

function errorOf(fn: () => void): SimulatorError {
  try {
    fn();
  } catch (error) {
    return error as SimulatorError;
  }
  throw new Error('expected an error');
}

describe('SimulatedHome', () => {
  test('the seed home has the seed devices with their capabilities', () => {
    const home = seedHome();
    const titles = home.thingIds().map((id) => home.describe(id).title);
    expect(titles).toEqual([
      'Philips HUE 01',
      'Philips HUE 02',
      'Philips HUE 03',
      'Philips HUE 04',
      'Philips HUE 05',
      'Philips HUE 06',
      'Bedside Ikea Light',
      'Porch Light',
      'Kettle',
      'Coffee Maker',
      'Button 1',
      'Button 2',
      'Motion Sensor',
    ]);
    // A real gateway's devices (virtual-things-7, zwave-…) sort after the add-on's own things.
    const sortsAfterOwn = (id: string) => id > 'rule-things-' && !id.startsWith('rule-things-');
    expect(home.thingIds().filter((id) => !sortsAfterOwn(id))).toEqual([]);
    expect(home.thingIds().every((id) => id.startsWith('sim-'))).toBe(true);
    expect(home.describe('sim-philips-hue-03')['@type']).toEqual([
      'Light',
      'OnOffSwitch',
      'ColorControl',
    ]);
    expect(home.values('sim-philips-hue-03')).toEqual({ on: false, color: '#ffffff', level: 100 });
    expect(home.describe('sim-bedside-ikea-light').properties.level['@type']).toBe(
      'BrightnessProperty'
    );
    expect(home.describe('sim-button-1').events?.pressed['@type']).toBe('PushedEvent');
    expect(home.describe('sim-motion-sensor').properties.motion).toMatchObject({
      '@type': 'MotionProperty',
      readOnly: true,
    });
  });

  test('a valid write changes the value and reports the change once', () => {
    const home = seedHome();
    const changes = record(home, 'propertyChanged');
    home.writeProperty('sim-philips-hue-01', 'level', 40);
    home.writeProperty('sim-philips-hue-01', 'level', 40);
    expect(home.getProperty('sim-philips-hue-01', 'level')).toBe(40);
    expect(changes).toEqual([{ thingId: 'sim-philips-hue-01', name: 'level', value: 40 }]);
  });

  test.each([
    ['level', 150, 'above the maximum 100'],
    ['level', -1, 'below the minimum 0'],
    ['level', 12.5, 'expected an integer'],
    ['on', 'yes', 'expected boolean, got string'],
    ['color', 'red', 'expected a colour "#rrggbb"'],
  ])(
    'writing %s = %p is refused with a message naming thing, property and value',
    (name, value, why) => {
      const home = seedHome();
      const error = errorOf(() => home.writeProperty('sim-philips-hue-02', name, value));
      expect(error.code).toBe('invalid-value');
      expect(error.message).toContain('"Philips HUE 02" (sim-philips-hue-02)');
      expect(error.message).toContain(`property "${name}" = ${JSON.stringify(value)}`);
      expect(error.message).toContain(why);
      expect(home.values('sim-philips-hue-02')).toEqual({
        on: false,
        color: '#ffffff',
        level: 100,
      });
    }
  );

  test('an enum property accepts only its listed values', () => {
    const home = new SimulatedHome([
      {
        id: 'sim-fan',
        title: 'Fan',
        properties: { speed: { type: 'string', enum: ['low', 'high'], value: 'low' } },
      },
    ]);
    home.writeProperty('sim-fan', 'speed', 'high');
    expect(errorOf(() => home.writeProperty('sim-fan', 'speed', 'max')).message).toContain(
      'expected one of "low", "high"'
    );
  });

  test('a client cannot write a read-only property but the device can report it', () => {
    const home = seedHome();
    const error = errorOf(() => home.writeProperty('sim-motion-sensor', 'motion', true));
    expect(error.code).toBe('read-only');
    expect(error.message).toContain('"Motion Sensor" (sim-motion-sensor) property "motion"');
    home.setProperty('sim-motion-sensor', 'motion', true);
    expect(home.getProperty('sim-motion-sensor', 'motion')).toBe(true);
  });

  test('unknown things and properties are named in the error', () => {
    const home = seedHome();
    expect(errorOf(() => home.writeProperty('toaster', 'on', true)).message).toBe(
      'Unknown thing: "toaster"'
    );
    expect(errorOf(() => home.writeProperty('sim-kettle', 'level', 3)).message).toBe(
      'Unknown property: "Kettle" (sim-kettle) has no property "level" (it has on)'
    );
  });

  test('writing several properties changes nothing if one value is invalid', () => {
    const home = seedHome();
    expect(() => home.writeProperties('sim-philips-hue-01', { on: true, level: 101 })).toThrow(
      /level/
    );
    expect(home.getProperty('sim-philips-hue-01', 'on')).toBe(false);
  });

  test('pressing a button by title emits its pressed event', () => {
    const home = seedHome();
    const events = record(home, 'event');
    home.press('Button 1');
    expect(events).toEqual([
      expect.objectContaining({ thingId: 'sim-button-1', name: 'pressed', data: undefined }),
    ]);
    expect(() => home.press('Kettle')).toThrow('Unknown event: "Kettle" (sim-kettle) has no event');
  });

  test('things can be added, renamed, disconnected and removed', () => {
    const home = seedHome();
    const added = record(home, 'thingAdded');
    const modified = record(home, 'thingModified');
    const connected = record(home, 'connected');
    const removed = record(home, 'thingRemoved');
    home.addThing({
      id: 'sim-lamp',
      title: 'Lamp',
      properties: { on: { type: 'boolean', value: true } },
    });
    home.renameThing('sim-lamp', 'Desk Lamp');
    home.setConnected('sim-lamp', false);
    home.removeThing('sim-lamp');
    expect([added, modified, connected, removed]).toEqual([
      [{ thingId: 'sim-lamp' }],
      [{ thingId: 'sim-lamp' }],
      [{ thingId: 'sim-lamp', connected: false }],
      [{ thingId: 'sim-lamp' }],
    ]);
    expect(home.has('sim-lamp')).toBe(false);
    expect(() => home.addThing({ id: 'sim-kettle', title: 'Kettle 2' })).toThrow(
      'Duplicate thing id'
    );
  });

  test('a thing whose start value is invalid is not added', () => {
    const home = new SimulatedHome();
    expect(() =>
      home.addThing({
        id: 'x',
        title: 'X',
        properties: { n: { type: 'number', maximum: 1, value: 2 } },
      })
    ).toThrow('Invalid property value: "X" (x) property "n" = 2');
    expect(home.thingIds()).toEqual([]);
  });

  test('an action request is reported pending then completed', async () => {
    const home = new SimulatedHome([{ id: 'sim-bell', title: 'Bell', actions: { ring: {} } }]);
    const statuses = record(home, 'actionStatus');
    const action = home.requestAction('sim-bell', 'ring');
    expect(action).toMatchObject({
      name: 'ring',
      status: 'pending',
      href: '/things/sim-bell/actions/ring/1',
    });
    await Promise.resolve();
    expect(statuses.map((s) => s.action.status)).toEqual(['pending', 'completed']);
    expect(() => home.requestAction('sim-bell', 'dance')).toThrow(
      'has no action "dance" (it has ring)'
    );
  });
});
