/**
 * The seed's MorningWakeRule in its three versions. The first two are off at first (they would
 * all wake you at once); switch the one you like on from its RuleThing.
 */
import { AbsoluteTimeTrigger, Rule } from 'rule-things';

/** Version 1: the light comes on at 06:30 every day. */
export class MorningWakeRule extends Rule {
  static enabledByDefault = false;
  static description = 'turn on Bedside Ikea Light';

  triggers() {
    return [new AbsoluteTimeTrigger('06:30')];
  }

  action() {
    this.things.Bedside_Ikea_Light.on = true;
  }
}

/** Version 2: 06:30 on weekdays, 07:30 at the weekend. */
export class WeekdayWeekendWakeRule extends Rule {
  static enabledByDefault = false;
  static description = 'turn on Bedside Ikea Light';

  weekday = this.setting('weekdayAlarm', '06:30', { title: 'Weekday alarm' });
  weekend = this.setting('weekendAlarm', '07:30', { title: 'Weekend alarm' });

  triggers() {
    return [
      new AbsoluteTimeTrigger(this.weekday, { days: 'weekdays' }),
      new AbsoluteTimeTrigger(this.weekend, { days: 'weekends' }),
    ];
  }

  action() {
    this.things.Bedside_Ikea_Light.on = true;
  }
}

/**
 * Version 3: instead of a rude flash of full light, the bedside light fades from off to full
 * over twenty minutes and is full at the alarm time (the seed starts at 06:10 for a 06:30 wake),
 * on weekdays and, later, at the weekend. A second trigger while it fades is refused (mode
 * "single"), and switching the rule off stops the fade.
 */
export class MorningFadeWakeRule extends Rule {
  static mode = 'single' as const;
  // {fadeDuration} is the setting's value in words, so the sentence follows the RuleThing.
  static description = 'fade Bedside Ikea Light from off to full over {fadeDuration}';

  alarm = this.setting('alarmTime', '06:30', { title: 'Alarm time (light full)' });
  weekendAlarm = this.setting('weekendAlarmTime', '07:30', {
    title: 'Weekend alarm time (light full)',
  });
  fade = this.setting('fadeDuration', '20m', { title: 'Fade duration' });

  triggers() {
    return [
      new AbsoluteTimeTrigger(this.alarm, { days: 'weekdays', before: this.fade }),
      new AbsoluteTimeTrigger(this.weekendAlarm, { days: 'weekends', before: this.fade }),
    ];
  }

  async action() {
    const light = this.things.Bedside_Ikea_Light;
    await light.set('level', 1);
    await light.set('on', true);
    await light.fadeTo('level', 100, this.fade.value);
  }
}
