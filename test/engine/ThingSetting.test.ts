/** Thing settings: a rule picks a thing of the home, waits until one is chosen, and follows things that come, go and are renamed. */
import { Rule } from '../../src/engine/Rule';
import { AbsoluteTimeTrigger } from '../../src/triggers';
import { seedThings } from '../../src/simulator';
import { harness } from './harness';

class LightAtNine extends Rule {
  static description = 'turn {light} on';
  light = this.thingSetting('light', { title: 'Light', capability: 'Light' });
  triggers() {
    return [new AbsoluteTimeTrigger('09:00')];
  }
  action() {
    this.light.thing.on = true;
  }
}

const LIGHTS = [
  'Bedside Ikea Light',
  'Philips HUE 01',
  'Philips HUE 02',
  'Philips HUE 03',
  'Philips HUE 04',
  'Philips HUE 05',
  'Philips HUE 06',
];

async function started() {
  const h = harness('2027-06-14T08:00');
  h.system.addRule(LightAtNine, { id: 'nine' });
  await h.system.start();
  const setting = () => h.info('nine').settings[0];
  return { ...h, setting };
}

describe('a thing setting', () => {
  it('offers the matching things by title, and the rule waits saying "choose a Light" until one is chosen', async () => {
    const h = await started();
    expect(h.setting()).toMatchObject({ name: 'light', title: 'Light', type: 'string', value: '' });
    expect(h.setting().thing!.choices.map((c) => c.title)).toEqual(LIGHTS);
    expect(h.info('nine')).toMatchObject({ status: 'choose a Light', nextFire: null });
    await h.clock.advance('2h');
    expect(h.commands).toEqual([]);
  });

  it('starts the rule once a thing is chosen, keeps its id and names it in the sentence', async () => {
    const h = await started();
    h.system.setSetting('nine', 'light', 'sim-bedside-ikea-light');
    expect(h.info('nine')).toMatchObject({
      status: 'ok',
      description: 'At 09:00 every day, turn Bedside Ikea Light on',
    });
    expect(h.setting()).toMatchObject({
      value: 'sim-bedside-ikea-light',
      thing: { chosen: { id: 'sim-bedside-ikea-light', title: 'Bedside Ikea Light' } },
    });
    await h.clock.advance('1h');
    expect(h.commands).toEqual(['sim-bedside-ikea-light on=true']);
  });

  it('takes a matching thing’s title as its id', async () => {
    const h = await started();
    h.system.setSetting('nine', 'light', 'Philips HUE 03');
    expect(h.setting().value).toBe('sim-philips-hue-03');
  });

  it('refuses a thing that does not match, naming the setting and what it offers', async () => {
    const h = await started();
    expect(() => h.system.setSetting('nine', 'light', 'sim-kettle')).toThrow(
      /setting "light" = "sim-kettle" is not a Light of the gateway \(choose one of "Bedside Ikea Light", "Philips HUE 01"/
    );
    expect(() => h.system.setSetting('nine', 'light', 'no-such-thing')).toThrow(/is not a Light/);
    expect(h.setting().value).toBe('');
  });

  it('lists things added and renamed, and the chosen one keeps its choice across a rename', async () => {
    const h = await started();
    h.system.setSetting('nine', 'light', 'sim-philips-hue-01');
    const lamp = { ...seedThings()[0], id: 'sim-desk-lamp', title: 'Desk Lamp' };
    h.home.addThing(lamp);
    await h.settle();
    expect(h.setting().thing!.choices.map((c) => c.title)).toContain('Desk Lamp');
    h.home.renameThing('sim-philips-hue-01', 'Reading Light');
    await h.settle();
    expect(h.setting().thing!.choices.map((c) => c.title)).toContain('Reading Light');
    expect(h.setting().value).toBe('sim-philips-hue-01');
    expect(h.info('nine').description).toBe('At 09:00 every day, turn Reading Light on');
    await h.clock.advance('1h');
    expect(h.commands).toEqual(['sim-philips-hue-01 on=true']);
  });

  it('stops the rule when the chosen thing is removed, saying so, and starts it when it is back', async () => {
    const h = await started();
    h.system.setSetting('nine', 'light', 'sim-philips-hue-02');
    const hue02 = seedThings().find((t) => t.id === 'sim-philips-hue-02')!;
    h.home.removeThing('sim-philips-hue-02');
    await h.settle();
    expect(h.info('nine')).toMatchObject({
      status: 'choose a Light: "Philips HUE 02", chosen before, is not in the gateway',
      nextFire: null,
    });
    expect(h.setting().thing!.choices.map((c) => c.title)).not.toContain('Philips HUE 02');
    await h.clock.advance('1h');
    expect(h.commands).toEqual([]);
    h.home.addThing(hue02);
    await h.settle();
    expect(h.info('nine').status).toBe('ok');
    await h.clock.advance('1d');
    expect(h.commands).toEqual(['sim-philips-hue-02 on=true']);
  });

  it('keeps a saved choice of a thing that is away, and waits for it', async () => {
    const h = harness('2027-06-14T08:00');
    h.system.addRule(LightAtNine, { id: 'nine', settings: { light: 'gone-lamp' } });
    await h.system.start();
    expect(h.info('nine')).toMatchObject({
      status: 'choose a Light: "gone-lamp", chosen before, is not in the gateway',
    });
    expect(h.info('nine').settings[0].value).toBe('gone-lamp');
  });

  it('excludes the add-on’s own things and filters by property name or @type', async () => {
    class Pick extends Rule {
      switchable = this.thingSetting('switchable', { property: 'on' });
      sensor = this.thingSetting('sensor', { property: 'MotionProperty' });
    }
    const h = harness();
    h.home.addThing({
      id: 'rule-things-porch',
      title: 'Porch Rule',
      '@type': ['OnOffSwitch'],
      properties: { on: { type: 'boolean', value: true } },
    });
    h.system.addRule(Pick, { id: 'pick' });
    await h.system.start();
    const [switchable, sensor] = h.info('pick').settings;
    expect(switchable.thing!.choices.map((c) => c.id)).not.toContain('rule-things-porch');
    expect(switchable.thing!.choices.map((c) => c.title)).toContain('Kettle');
    expect(sensor.thing!.choices).toEqual([{ id: 'sim-motion-sensor', title: 'Motion Sensor' }]);
    expect(h.info('pick').status).toBe('choose a Switchable');
    h.system.setSetting('pick', 'switchable', 'sim-kettle');
    expect(h.info('pick').status).toBe('choose a Sensor');
    h.system.setSetting('pick', 'sensor', 'sim-motion-sensor');
    const rule = h.system.instance('pick') as Pick;
    expect(rule.sensor.propertyName).toBe('motion');
    expect(h.info('pick').status).toBe('ok');
  });
});
