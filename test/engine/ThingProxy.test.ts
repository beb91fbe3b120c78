/** Thing proxies: reads, fire-and-forget assignments, set() with confirmation, fades and actions. */
import { startedProbe } from './harness';

describe('thing proxies', () => {
  it('read the last known value of a property', async () => {
    const h = await startedProbe();
    expect(h.rule.things.Philips_HUE_01.level).toBe(100);
    await h.userSets('sim-philips-hue-01', 'level', 40);
    expect(h.rule.things.Philips_HUE_01.level).toBe(40);
    expect(h.rule.things.Philips_HUE_01.values).toEqual({ on: false, color: '#ffffff', level: 40 });
  });

  it('send an assignment to the gateway and read back the value asked for at once', async () => {
    const h = await startedProbe();
    h.rule.things.Porch_Light.on = true;
    expect(h.rule.things.Porch_Light.on).toBe(true);
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
    expect(h.commands).toEqual(['sim-porch-light on=true']);
  });

  it('send nothing when a value is assigned that the thing already has or was already asked for', async () => {
    const h = await startedProbe();
    h.rule.things.Porch_Light.on = false;
    h.rule.things.Kettle.on = true;
    h.rule.things.Kettle.on = true;
    await h.settle();
    h.rule.things.Kettle.on = true;
    expect(h.commands).toEqual(['sim-kettle on=true']);
  });

  it('resolve set() when the gateway confirms', async () => {
    const h = await startedProbe();
    await expect(h.rule.things.Kettle.set('on', true)).resolves.toBeUndefined();
    expect(h.home.getProperty('sim-kettle', 'on')).toBe(true);
  });

  it('reject set() with the gateway error naming thing, property and value', async () => {
    const h = await startedProbe();
    await expect(h.rule.things.Philips_HUE_01.set('level', 150)).rejects.toThrow(
      /Philips HUE 01.*level.*150/
    );
    expect(h.rule.things.Philips_HUE_01.level).toBe(100);
  });

  it('record a refused assignment in the rule status', async () => {
    const h = await startedProbe();
    h.rule.things.Philips_HUE_01.level = 150;
    await h.settle();
    expect(h.info('probe').status).toMatch(/^write refused: .*level.*150/);
  });

  it('refuse unknown and read-only properties at once, naming what the thing has', async () => {
    const h = await startedProbe();
    expect(() => h.rule.things.Porch_Light.brightness).toThrow(
      /"Porch Light" has no property "brightness" \(it has on\)/
    );
    expect(() => {
      h.rule.things.Motion_Sensor.motion = true;
    }).toThrow(/Read-only property: "Motion Sensor" motion/);
    expect(h.commands).toEqual([]);
  });

  it('fade a level in steps on the clock, turning the light on first', async () => {
    const h = await startedProbe();
    const fade = h.rule.things.Bedside_Ikea_Light.fadeTo('level', 100, '100s');
    await h.clock.advance('50s');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'on')).toBe(true);
    expect(h.home.getProperty('sim-bedside-ikea-light', 'level')).toBe(50);
    await h.clock.advance('50s');
    await expect(fade).resolves.toBeUndefined();
    expect(h.home.getProperty('sim-bedside-ikea-light', 'level')).toBe(100);
  });

  it('request actions and refuse ones the thing does not have', async () => {
    const h = await startedProbe();
    await expect(h.rule.things.Kettle.call('boil')).rejects.toThrow(
      /"Kettle" has no action "boil"/
    );
  });
});
