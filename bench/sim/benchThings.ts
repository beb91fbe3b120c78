/** The simulated devices the scenarios use, as simulator ThingSpecs (the seed's kinds, plus a numbered sensor). */
import type { ThingSpec } from '../../src/simulator';

/** A button whose `pushed` property flips with each press (a property, so the rule reacts to a change). */
export function button(id: string): ThingSpec {
  return {
    id,
    title: id,
    '@type': ['PushButton'],
    properties: {
      pushed: {
        title: 'Pushed',
        type: 'boolean',
        '@type': 'PushedProperty',
        readOnly: true,
        value: false,
      },
    },
  };
}

/** A dimmable color bulb, like the seed's Philips HUE. */
export function bulb(id: string): ThingSpec {
  return {
    id,
    title: id,
    '@type': ['Light', 'OnOffSwitch', 'ColorControl'],
    properties: {
      on: { title: 'On/Off', type: 'boolean', '@type': 'OnOffProperty', value: false },
      level: {
        title: 'Brightness',
        type: 'integer',
        '@type': 'BrightnessProperty',
        minimum: 0,
        maximum: 100,
        value: 0,
      },
      color: { title: 'Color', type: 'string', '@type': 'ColorProperty', value: '#ffffff' },
    },
  };
}

/** A dimmer knob: its `position` follows the hand (0–100). */
export function slider(id: string): ThingSpec {
  return {
    id,
    title: id,
    '@type': ['MultiLevelSensor'],
    properties: {
      position: {
        title: 'Position',
        type: 'integer',
        '@type': 'LevelProperty',
        minimum: 0,
        maximum: 100,
        readOnly: true,
        value: 0,
      },
    },
  };
}

/** A node of the scale scenario: a sensor `reading` (a counter the device bumps) and a writable `level`. */
export function node(id: string): ThingSpec {
  return {
    id,
    title: id,
    '@type': ['MultiLevelSensor'],
    properties: {
      reading: {
        title: 'Reading',
        type: 'integer',
        '@type': 'LevelProperty',
        readOnly: true,
        value: 0,
      },
      level: { title: 'Level', type: 'integer', '@type': 'LevelProperty', value: 0 },
    },
  };
}
