/** Every example rule reads as one English sentence in the voice of the gateway's GUI rules. */
import path from 'path';
import { HeartBeat, Rule, WhileRule } from '../../src/api';
import { loadRules } from '../../src/engine/loadRules';
import { harness } from './harness';

const EXAMPLES = path.resolve(__dirname, '../../examples');

/** Class name → its sentence with the examples' default settings. A new example needs a line here. */
const SENTENCES: Record<string, string> = {
  BondedBulbsRule:
    'If Philips HUE 01, Philips HUE 02, Philips HUE 03, or Philips HUE 04 changes, copy the change to the other three bulbs',
  ButtonKettleRule: 'If Button 1 event "pressed" occurs, toggle Kettle',
  ExampleIfRule:
    'If Philips HUE 01 changes, turn on Philips HUE 02, 03 and 04 if Philips HUE 01 is on',
  ExampleWhileRule:
    'If Philips HUE 01 changes, switch Philips HUE 02, 03 and 04 on or off like Philips HUE 01',
  LearningSceneRule:
    'If the setting "Learn the current scene" changes or Button 2 event "pressed" occurs, record Bedside Ikea Light, Philips HUE 05, 06 and Porch Light when learning is switched on, and restore them when Button 2 is pressed',
  MorningWakeRule: 'At 06:30 every day, turn on Bedside Ikea Light',
  WeekdayWeekendWakeRule:
    'At 06:30 on weekdays or at 07:30 on weekends, turn on Bedside Ikea Light',
  MorningFadeWakeRule:
    '20 minutes before 06:30 on weekdays or 20 minutes before 07:30 on weekends, fade Bedside Ikea Light from off to full over 20 minutes',
  MotionNightLightRule: 'While Motion Sensor motion is on and the sun is down, Porch Light is on',
  PorchLightRule:
    'At civil dusk or at 23:00 every day, turn Porch Light on at dusk and off at 23:00',
  RainbowRule: 'Every 2 seconds, move the rainbow on Philips HUE 01 to 06 one bulb along',
};

async function examplesSystem() {
  const h = harness();
  const names: string[] = [];
  for (const file of loadRules(EXAMPLES)) {
    expect(file.failure).toBeUndefined();
    for (const rule of file.rules) {
      h.system.addRule(rule.ruleClass, { id: rule.id, file: file.file, enabled: true });
      names.push(rule.name);
    }
  }
  await h.system.start();
  return { h, names };
}

describe('the sentence of each example rule', () => {
  it('is listed here for every rule class of examples/', async () => {
    const { names } = await examplesSystem();
    expect(names.sort()).toEqual(Object.keys(SENTENCES).sort());
  });

  it.each(Object.entries(SENTENCES))('reads right for %s', async (name, sentence) => {
    const { h } = await examplesSystem();
    const rule = h.system.rules().find((r) => r.name === name);
    expect(rule?.description).toBe(sentence);
  });

  it('follows a setting the sentence names, as the RuleThing changes it', async () => {
    const { h } = await examplesSystem();
    const fade = h.system.rules().find((r) => r.name === 'MorningFadeWakeRule')!;
    h.system.setSetting(fade.id, 'fadeDuration', '1h30m');
    h.system.setSetting(fade.id, 'alarmTime', '07:05');
    expect(h.info(fade.id).description).toBe(
      '1 hour 30 minutes before 07:05 on weekdays or 1 hour 30 minutes before 07:30 on weekends, fade Bedside Ikea Light from off to full over 1 hour 30 minutes'
    );
  });

  it('reports the next firing a changed setting gives, once its trigger has re-armed', async () => {
    const { h } = await examplesSystem();
    const fade = h.system.rules().find((r) => r.name === 'MorningFadeWakeRule')!;
    const reported: (string | null)[] = [];
    h.system.on('ruleChanged', (rule) => rule.id === fade.id && reported.push(rule.nextFire));
    h.system.setSetting(fade.id, 'alarmTime', '07:05');
    await h.settle();
    // Monday 08:00 in Berlin: next is Tuesday 07:05 CEST, full light, so the fade starts 06:45.
    expect(reported.at(-1)).toBe('2027-06-15T04:45:00.000Z');
  });

  it('reads the same while the rule is switched off', async () => {
    const { h } = await examplesSystem();
    const kettle = h.system.rules().find((r) => r.name === 'ButtonKettleRule')!;
    await h.system.setEnabled(kettle.id, false);
    expect(h.info(kettle.id).description).toBe(SENTENCES.ButtonKettleRule);
  });

  it('says "run the rule\'s action" for a rule that does not describe it, and names a While rule\'s triggers', async () => {
    class Undescribed extends Rule {
      triggers() {
        return [new HeartBeat('1m'), this.things.Button_1.event('pressed')];
      }
    }
    class Follow extends WhileRule {
      triggers() {
        return [this.things.Motion_Sensor.property('motion')];
      }
      condition() {
        return this.things.Motion_Sensor.motion === true;
      }
      whileTrue() {
        this.things.Porch_Light.on = true;
      }
    }
    const h = harness();
    h.system.addRule(Undescribed, { id: 'plain' });
    h.system.addRule(Follow, { id: 'follow' });
    await h.system.start();
    expect(h.info('plain').description).toBe(
      'If Button 1 event "pressed" occurs, or every minute, run the rule\'s action'
    );
    expect(h.info('follow').description).toBe(
      'While its condition holds (checked when Motion Sensor motion changes)'
    );
  });
});
