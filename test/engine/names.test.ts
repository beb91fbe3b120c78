/** this.things and this.thing(): sanitized names, helpful errors, collisions, things that come and go. */
import { closestNames } from '../../src/engine/closestNames';
import { startedProbe } from './harness';

describe('thing names', () => {
  it('reaches every thing by its sanitized title', async () => {
    const { rule } = await startedProbe();
    expect(rule.things.Philips_HUE_01.id).toBe('sim-philips-hue-01');
    expect(rule.things.Bedside_Ikea_Light.title).toBe('Bedside Ikea Light');
    expect(Object.keys(rule.things)).toContain('Button_1');
  });

  it('names the closest existing things when a name is unknown', async () => {
    const { rule } = await startedProbe();
    expect(() => rule.things.Philips_HUE_1).toThrow(
      /Unknown thing: this\.things\.Philips_HUE_1 does not exist \(closest: Philips_HUE_01, /
    );
  });

  it('finds a thing by its exact title or id with thing()', async () => {
    const { rule } = await startedProbe();
    expect(rule.thing('Porch Light').id).toBe('sim-porch-light');
    expect(rule.thing('sim-porch-light').title).toBe('Porch Light');
    expect(() => rule.thing('Porch Lamp')).toThrow(
      /no thing has the title or id "Porch Lamp".*closest: Porch_Light/
    );
  });

  it('gives a thing whose title sanitizes like another a suffixed name and logs a warning', async () => {
    const h = await startedProbe();
    h.home.addThing({ id: 'zz-porch', title: 'Porch-Light', properties: {} });
    await h.settle();
    expect(h.logs.some((l) => /both sanitize to "Porch_Light"/.test(l))).toBe(true);
    expect(h.rule.things.Porch_Light.id).toBe('sim-porch-light');
    expect(h.rule.things.Porch_Light__zz_porch.id).toBe('zz-porch');
    expect(h.rule.thing('Porch-Light').id).toBe('zz-porch');
  });

  it('shows things added at run time and forgets removed ones', async () => {
    const h = await startedProbe();
    h.home.addThing({
      id: 'sim-lamp',
      title: 'Desk Lamp',
      properties: { on: { type: 'boolean', value: true } },
    });
    await h.settle();
    expect(h.rule.things.Desk_Lamp.on).toBe(true);
    h.home.removeThing('sim-lamp');
    await h.settle();
    expect(() => h.rule.things.Desk_Lamp).toThrow(/Unknown thing/);
  });

  it('ranks names by edit distance, ignoring case', () => {
    expect(closestNames('porch_lite', ['Kettle', 'Porch_Light', 'Button_1'], 2)).toEqual([
      'Porch_Light',
      'Kettle',
    ]);
  });

  it('keeps the letters and digits of every language, as TypeScript identifiers may', async () => {
    const h = await startedProbe();
    const light = (id: string, title: string) =>
      h.home.addThing({ id, title, properties: { on: { type: 'boolean', value: false } } });
    light('sim-kueche', 'Küchenlicht');
    light('sim-kitchen-ru', 'Кухня');
    light('sim-bedroom-ru', 'Спальня');
    light('sim-bath-ja', '浴室 2');
    light('sim-hall-nfd', 'Flur Ku\u0308hl');
    await h.settle();
    const things = h.rule.things as unknown as Record<string, { id: string }>;
    expect(things['Küchenlicht'].id).toBe('sim-kueche');
    expect(things['Кухня'].id).toBe('sim-kitchen-ru');
    expect(things['Спальня'].id).toBe('sim-bedroom-ru');
    expect(things['浴室_2'].id).toBe('sim-bath-ja');
    expect(things['Flur_K\u00fchl'].id).toBe('sim-hall-nfd');
    expect(h.logs.filter((l) => /both sanitize/.test(l))).toEqual([]);
  });

  it('leaves the seed\'s Porch Light its name when the RuleThing "Porch Light" (PorchLightRule) is added', async () => {
    const h = await startedProbe();
    // What the gateway lists once the example PorchLightRule's RuleThing is added under "+". Its id
    // sorts before the device's, as `rule-things-…` sorts before a real home's devices.
    h.home.addThing({
      id: 'rule-things-porch-light',
      title: 'Porch Light',
      '@type': ['OnOffSwitch'],
      properties: { enabled: { type: 'boolean', '@type': 'OnOffProperty', value: true } },
    });
    await h.settle();
    expect(h.rule.things.Porch_Light.id).toBe('sim-porch-light');
    expect(h.rule.thing('Porch Light').id).toBe('sim-porch-light');
    expect(h.rule.rules.Porch_Light.id).toBe('rule-things-porch-light');
    h.rule.things.Porch_Light.on = true;
    await h.settle();
    expect(h.commands).toEqual(['sim-porch-light on=true']);
    expect(h.logs.filter((l) => /both sanitize/.test(l))).toEqual([]);
  });

  it("never gives the add-on's own things a device's name: RuleThings are this.rules, the Sun is this.sun", async () => {
    const h = await startedProbe();
    const onOff = { on: { type: 'boolean' as const, value: false } };
    // A device whose id sorts after the add-on's own, as virtual and Z-Wave things do.
    h.home.addThing({ id: 'zwave-porch-lamp', title: 'Porch Lamp', properties: onOff });
    h.home.addThing({
      id: 'rule-things-porch-lamp',
      title: 'Porch Lamp',
      properties: { enabled: { type: 'boolean', value: true } },
    });
    h.home.addThing({ id: 'rule-things-sun', title: 'Sun', properties: {} });
    await h.settle();
    expect(h.rule.things.Porch_Lamp.id).toBe('zwave-porch-lamp');
    expect(h.rule.thing('Porch Lamp').id).toBe('zwave-porch-lamp');
    expect(h.rule.rules.Porch_Lamp.id).toBe('rule-things-porch-lamp');
    expect(h.rule.rules.Porch_Lamp.enabled).toBe(true);
    expect(Object.keys(h.rule.things)).not.toContain('Sun');
    expect(Object.keys(h.rule.things).filter((n) => n.startsWith('Porch_Lamp'))).toEqual([
      'Porch_Lamp',
    ]);
    expect(Object.keys(h.rule.rules)).toEqual(['Porch_Lamp']);
    expect(() => h.rule.things.Sun).toThrow(/Unknown thing: this\.things\.Sun does not exist/);
    expect(() => h.rule.rules.Morning_Wake).toThrow(
      /Unknown rule: this\.rules\.Morning_Wake is not a RuleThing of the gateway \(closest: Porch_Lamp/
    );
    expect(h.logs.filter((l) => /both sanitize/.test(l))).toEqual([]);
  });
});
