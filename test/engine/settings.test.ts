/** Rule settings: inferred forms, validation with clear messages, and changes that triggers follow. */
import { Rule } from '../../src/engine/Rule';
import { AbsoluteTimeTrigger } from '../../src/triggers';
import { harness } from './harness';

class Alarm extends Rule {
  alarm = this.setting('alarmTime', '06:30');
  fade = this.setting('fadeDuration', '20m');
  level = this.setting('level', 80, { type: 'integer', minimum: 1, maximum: 100, unit: 'percent' });
  mood = this.setting('mood', 'calm', { enum: ['calm', 'party'] });
  loud = this.setting('loud', false);
  triggers() {
    return [new AbsoluteTimeTrigger(this.alarm)];
  }
  action() {
    this.things.Bedside_Ikea_Light.level = this.level.value;
  }
}

describe('settings', () => {
  it('describe each setting with the form inferred from its default', async () => {
    const h = harness();
    h.system.addRule(Alarm, { id: 'alarm' });
    await h.system.start();
    const [alarm, fade, level, mood, loud] = h.info('alarm').settings;
    expect(alarm).toMatchObject({
      name: 'alarmTime',
      title: 'Alarm time',
      type: 'string',
      value: '06:30',
    });
    expect(alarm.pattern).toBe('^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$');
    expect(fade).toMatchObject({ type: 'string', value: '20m' });
    expect(level).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, unit: 'percent' });
    expect(mood).toMatchObject({ enum: ['calm', 'party'] });
    expect(loud).toMatchObject({ type: 'boolean', value: false });
  });

  it('refuse a bad value with the rule, the setting and the allowed form, keeping the old value', async () => {
    const h = harness();
    h.system.addRule(Alarm, { id: 'alarm' });
    await h.system.start();
    expect(() => h.system.setSetting('alarm', 'alarmTime', '25:61')).toThrow(
      'Invalid setting: rule "Alarm" setting "alarmTime" = "25:61" is not a time of day "HH:MM" (00:00 to 23:59); the value stays "06:30"'
    );
    expect(() => h.system.setSetting('alarm', 'level', 0)).toThrow(
      /"level" = 0 is not a whole number from 1 to 100/
    );
    expect(() => h.system.setSetting('alarm', 'fadeDuration', 'soon')).toThrow(
      /a duration such as/
    );
    expect(() => h.system.setSetting('alarm', 'mood', 'angry')).toThrow(/one of "calm", "party"/);
    expect(() => h.system.setSetting('alarm', 'loud', 'yes')).toThrow(/true or false/);
    expect(() => h.system.setSetting('alarm', 'volume', 3)).toThrow(
      /has no setting "volume" \(it has alarmTime, fadeDuration, level, mood, loud\)/
    );
    expect(h.info('alarm').settings.map((s) => s.value)).toEqual([
      '06:30',
      '20m',
      80,
      'calm',
      false,
    ]);
  });

  it('re-arm a time trigger when its setting changes', async () => {
    const h = harness('2027-06-14T06:00');
    h.system.addRule(Alarm, { id: 'alarm' });
    await h.system.start();
    h.system.setSetting('alarm', 'alarmTime', '06:10');
    h.system.setSetting('alarm', 'level', 35);
    await h.clock.advance('10m');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'level')).toBe(35);
  });

  it('apply saved values given before start, ignoring invalid ones with a warning', async () => {
    const h = harness();
    h.system.addRule(Alarm, { id: 'alarm', settings: { alarmTime: '07:00', level: 500 } });
    h.system.setSetting('alarm', 'mood', 'party');
    await h.system.start();
    expect(h.info('alarm').settings.map((s) => s.value)).toEqual([
      '07:00',
      '20m',
      80,
      'party',
      false,
    ]);
    expect(
      h.logs.some((l) => /warn: .*"level" = 500 is not a whole number from 1 to 100/.test(l))
    ).toBe(true);
  });

  it('announce a changed setting with ruleChanged', async () => {
    const h = harness();
    h.system.addRule(Alarm, { id: 'alarm' });
    await h.system.start();
    const changes: string[] = [];
    h.system.on('ruleChanged', (rule) => changes.push(String(rule.settings[0].value)));
    h.system.setSetting('alarm', 'alarmTime', '05:45');
    expect(changes).toContain('05:45');
  });

  it('refuse an invalid default when the rule is declared', async () => {
    class Bad extends Rule {
      level = this.setting('level', 500, { maximum: 100 });
    }
    const h = harness();
    h.system.addRule(Bad, { id: 'bad' });
    await h.system.start();
    expect(h.info('bad').status).toBe(
      'failed to start: Invalid default of setting "level": 500 is not a number of at most 100'
    );
  });
});
