/** The devices of the seed's blog posts (six HUE bulbs, the bedside Ikea light, plugs, buttons, a motion sensor). */
import { Clock } from '../clock';
import { PropertySpec, SimulatedHome, ThingSpec } from './SimulatedHome';

const on = (value = false): PropertySpec => ({
  title: 'On/Off',
  type: 'boolean',
  '@type': 'OnOffProperty',
  value,
});

const level = (value: number): PropertySpec => ({
  title: 'Brightness',
  type: 'integer',
  '@type': 'BrightnessProperty',
  unit: 'percent',
  minimum: 0,
  maximum: 100,
  value,
});

const color = (value = '#ffffff'): PropertySpec => ({
  title: 'Color',
  type: 'string',
  '@type': 'ColorProperty',
  value,
});

/**
 * A simulated device's id: "Philips HUE 01" -> "sim-philips-hue-01". The prefix makes every device
 * sort after the add-on's own things (`rule-things-…`), as a real gateway's do (`virtual-things-7`,
 * `zwave-…`), so a tie between a device and a RuleThing of one title is decided in tests as at home.
 */
export function simulatedId(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `sim-${slug}`;
}

function colorBulb(n: number): ThingSpec {
  const title = `Philips HUE ${String(n).padStart(2, '0')}`;
  return {
    id: simulatedId(title),
    title,
    '@type': ['Light', 'OnOffSwitch', 'ColorControl'],
    description: 'Philips Hue White & Color Ambiance bulb',
    properties: { on: on(), color: color(), level: level(100) },
  };
}

function plug(title: string): ThingSpec {
  return {
    id: simulatedId(title),
    title,
    '@type': ['OnOffSwitch'],
    description: 'On/off smart plug',
    properties: { on: on() },
  };
}

function button(title: string): ThingSpec {
  return {
    id: simulatedId(title),
    title,
    '@type': ['PushButton'],
    description: 'Push button',
    properties: {},
    events: {
      pressed: { title: 'Pressed', '@type': 'PushedEvent', description: 'Button pressed' },
    },
  };
}

/** The seed's devices as specs, in the order the gateway would list them. */
export function seedThings(): ThingSpec[] {
  return [
    ...[1, 2, 3, 4, 5, 6].map(colorBulb),
    {
      id: simulatedId('Bedside Ikea Light'),
      title: 'Bedside Ikea Light',
      '@type': ['Light', 'OnOffSwitch'],
      description: 'IKEA TRÅDFRI dimmable bulb',
      properties: { on: on(), level: level(0) },
    },
    plug('Porch Light'),
    plug('Kettle'),
    plug('Coffee Maker'),
    button('Button 1'),
    button('Button 2'),
    {
      id: simulatedId('Motion Sensor'),
      title: 'Motion Sensor',
      '@type': ['MotionSensor'],
      description: 'Motion sensor',
      properties: {
        motion: {
          title: 'Motion',
          type: 'boolean',
          '@type': 'MotionProperty',
          readOnly: true,
          value: false,
        },
      },
    },
  ];
}

/** A SimulatedHome holding the seed's devices, everything off. */
export function seedHome(clock?: Clock): SimulatedHome {
  return new SimulatedHome(seedThings(), clock);
}
