/** Each template of the new-rule form writes a rule file that loads, reads as a sentence and acts on the simulated home. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { renderRule, TemplateError, templateList } from '../../../src/addon/api/templates';
import { loadRuleFile } from '../../../src/engine/loadRules';
import { harness } from '../../engine/harness';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-templates-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Renders, writes and loads a template into a rule system over the seed's home (Monday 08:00),
 * with its things chosen as a person would on the new rule.
 */
async function load(
  template: string,
  fields: Record<string, string> = {},
  things: Record<string, string> = {},
  name = 'My rule'
) {
  const rendered = renderRule(template, name, fields);
  fs.writeFileSync(path.join(dir, rendered.file), rendered.text);
  const loaded = loadRuleFile(dir, rendered.file);
  expect(loaded.failure).toBeUndefined();
  const h = harness();
  const [rule] = loaded.rules;
  h.system.addRule(rule.ruleClass, { id: rule.id, file: loaded.file });
  await h.system.start();
  for (const [name, thing] of Object.entries(things)) h.system.setSetting(rule.id, name, thing);
  expect(h.info(rule.id).status).toBe('ok');
  return { h, id: rule.id, rendered };
}

const PORCH_AT_MOTION = { whenThing: 'Motion Sensor', thenThing: 'Porch Light' };

describe('rule templates', () => {
  it('lists four templates', () => {
    expect(templateList().map((t) => t.id)).toEqual(['if-while', 'alarm', 'dusk-to-time', 'scene']);
  });

  it('names the file and class after the rule name', () => {
    const rendered = renderRule('alarm', 'Hall light 2', {});
    expect(rendered).toMatchObject({
      file: 'hall-light2.ts',
      className: 'HallLight2Rule',
      ruleId: 'hall-light2',
    });
  });

  it('If: turns on Porch Light when Motion Sensor sees motion', async () => {
    const { h, id } = await load('if-while', {}, PORCH_AT_MOTION);
    expect(h.info(id).description).toBe(
      'If Motion Sensor motion changes, turn on Porch Light if Motion Sensor motion is true'
    );
    h.home.setProperty('sim-motion-sensor', 'motion', true);
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
  });

  it('While: keeps Porch Light on while there is motion, and puts it back after', async () => {
    const { h, id } = await load('if-while', { kind: 'while' }, PORCH_AT_MOTION);
    expect(h.info(id).description).toBe(
      'While Motion Sensor motion is true, Porch Light on is true'
    );
    h.home.setProperty('sim-motion-sensor', 'motion', true);
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
    h.home.setProperty('sim-motion-sensor', 'motion', false);
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(false);
  });

  it('Alarm: turns on the bedside light at the alarm time, which is a setting', async () => {
    const { h, id } = await load('alarm', { time: '06:45' }, { target: 'Bedside Ikea Light' });
    expect(h.info(id).description).toBe('At 06:45 on weekdays, turn on Bedside Ikea Light');
    expect(h.info(id).settings.map((s) => [s.name, s.value])).toEqual([
      ['target', 'sim-bedside-ikea-light'],
      ['alarmTime', '06:45'],
    ]);
    await h.clock.advance('23h');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'on')).toBe(true);
  });

  it('Dusk to time: turns Porch Light on at civil dusk and off at 23:00', async () => {
    const { h, id } = await load('dusk-to-time', {}, { light: 'Porch Light' });
    expect(h.info(id).description).toBe(
      'At civil dusk or at 23:00 every day, turn Porch Light on at civil dusk and off at 23:00'
    );
    await h.clock.advance('14h30m');
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
    await h.clock.advance('1h');
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(false);
  });

  it('Scene: sets several things when Button 2 is pressed', async () => {
    const { h, id } = await load('scene', {}, { button: 'Button 2' });
    expect(h.info(id).description).toBe(
      'If Button 2 event "pressed" occurs, turn on Porch Light, turn on Bedside Ikea Light and set Bedside Ikea Light level to 40'
    );
    h.home.press('Button 2');
    await h.settle();
    expect(h.home.getProperty('sim-bedside-ikea-light', 'level')).toBe(40);
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
  });

  it('keeps odd text inside string literals, so no form value becomes code', async () => {
    const rendered = renderRule('alarm', 'Odd', { value: '1); process.exit(1); (2' });
    expect(rendered.text).toContain('this.target.thing["on"] = "1); process.exit(1); (2";');
  });

  it('offers the things a rule acts on as pickers, waiting until they are chosen', async () => {
    const rendered = renderRule('if-while', 'Porch at motion', {});
    fs.writeFileSync(path.join(dir, rendered.file), rendered.text);
    const [rule] = loadRuleFile(dir, rendered.file).rules;
    const h = harness();
    h.system.addRule(rule.ruleClass, { id: rule.id });
    await h.system.start();
    expect(h.info(rule.id).status).toBe('choose a When thing');
    const [whenThing, thenThing] = h.info(rule.id).settings;
    expect(whenThing.thing!.choices).toEqual([{ id: 'sim-motion-sensor', title: 'Motion Sensor' }]);
    expect(thenThing.thing!.choices.map((c) => c.title)).toContain('Porch Light');
  });

  it('keeps the letters and digits of any language in a rule name, as this.things does', async () => {
    expect(renderRule('alarm', 'Küchenlicht', {})).toMatchObject({
      file: 'küchenlicht.ts',
      className: 'KüchenlichtRule',
      ruleId: 'kuchenlicht',
    });
    // "ü" typed as "u" and a combining mark is the same name.
    expect(renderRule('alarm', 'Ku\u0308chenlicht', {}).file).toBe('küchenlicht.ts');
    const { h, id, rendered } = await load(
      'alarm',
      { time: '06:45' },
      { target: 'Bedside Ikea Light' },
      'Кухня свет 2'
    );
    expect(rendered).toMatchObject({ file: 'кухня-свет2.ts', className: 'КухняСвет2Rule' });
    expect(id).toBe(rendered.ruleId);
    expect(id).toMatch(/^[a-z0-9-]+$/);
    expect(h.info(id).title).toBe('Кухня Свет2');
    await h.clock.advance('23h');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'on')).toBe(true);
    expect(() => renderRule('alarm', '2 Küchen', {})).toThrow(
      'name "2 Küchen" is not 1 to 60 letters, digits, spaces, "-" or "_", starting with a letter'
    );
  });

  it('refuses a While rule named "While", whose class would be the WhileRule it extends', () => {
    expect(() => renderRule('if-while', 'While', { kind: 'while' })).toThrow(
      'name "While" would make the class WhileRule, which the rule file imports from rule-things'
    );
    expect(renderRule('if-while', 'While Motion', { kind: 'while' }).className).toBe(
      'WhileMotionRule'
    );
  });

  it('names the bad scene line and the form it must have', () => {
    expect(() =>
      renderRule('scene', 'Evening', { scene: 'Porch Light.on = true\nlamp on' })
    ).toThrow(
      new TemplateError(
        'scene',
        'scene line 2 "lamp on" is not "Thing title.property = value" (e.g. "Porch Light.on = true")'
      )
    );
  });
});
