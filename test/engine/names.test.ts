/** this.things and this.thing(): sanitized names, helpful errors, collisions, things that come and go. */
import { closestNames } from '../../src/engine/closestNames';
import { startedProbe } from './harness';

describe('thing names', () => {
  it('reaches every thing by its sanitized title', async () => {
    const { rule } = await startedProbe();
    expect(rule.things.Philips_HUE_01.id).toBe('philips-hue-01');
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
    expect(rule.thing('Porch Light').id).toBe('porch-light');
    expect(rule.thing('porch-light').title).toBe('Porch Light');
    expect(() => rule.thing('Porch Lamp')).toThrow(
      /no thing has the title or id "Porch Lamp".*closest: Porch_Light/
    );
  });

  it('gives a thing whose title sanitizes like another a suffixed name and logs a warning', async () => {
    const h = await startedProbe();
    h.home.addThing({ id: 'zz-porch', title: 'Porch-Light', properties: {} });
    await h.settle();
    expect(h.logs.some((l) => /both sanitize to "Porch_Light"/.test(l))).toBe(true);
    expect(h.rule.things.Porch_Light.id).toBe('porch-light');
    expect(h.rule.things.Porch_Light__zz_porch.id).toBe('zz-porch');
    expect(h.rule.thing('Porch-Light').id).toBe('zz-porch');
  });

  it('shows things added at run time and forgets removed ones', async () => {
    const h = await startedProbe();
    h.home.addThing({
      id: 'lamp',
      title: 'Desk Lamp',
      properties: { on: { type: 'boolean', value: true } },
    });
    await h.settle();
    expect(h.rule.things.Desk_Lamp.on).toBe(true);
    h.home.removeThing('lamp');
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
    light('kueche', 'Küchenlicht');
    light('kitchen-ru', 'Кухня');
    light('bedroom-ru', 'Спальня');
    light('bath-ja', '浴室 2');
    light('hall-nfd', 'Flur Ku\u0308hl');
    await h.settle();
    const things = h.rule.things as unknown as Record<string, { id: string }>;
    expect(things['Küchenlicht'].id).toBe('kueche');
    expect(things['Кухня'].id).toBe('kitchen-ru');
    expect(things['Спальня'].id).toBe('bedroom-ru');
    expect(things['浴室_2'].id).toBe('bath-ja');
    expect(things['Flur_K\u00fchl'].id).toBe('hall-nfd');
    expect(h.logs.filter((l) => /both sanitize/.test(l))).toEqual([]);
  });
});
