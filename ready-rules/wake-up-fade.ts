/**
 * Wake-up fade: a dimmable light fades from off to full so that it is full at the wake time
 * (with a 20-minute fade and 06:30, it starts at 06:10), on weekdays, weekends or every day.
 * Choose the light on this rule's thing in the gateway, then switch it on.
 */
import { AbsoluteTimeTrigger, parseDuration, Rule } from 'rule-things';

export default class WakeUpFade extends Rule {
  static title = 'Wake-up fade';
  static description = 'fade {light} from off to full over {fadeDuration}, full at {wakeTime}';
  static enabledByDefault = false;

  light = this.thingSetting('light', { title: 'Light', property: 'BrightnessProperty' });
  // The fade starts at wake time minus its duration: either change moves the trigger.
  wakeTime = this.setting('wakeTime', '06:30', { title: 'Full at', restart: true });
  fadeDuration = this.setting('fadeDuration', '20m', { title: 'Fade duration', restart: true });
  days = this.setting('days', 'weekdays', {
    title: 'Days',
    enum: ['weekdays', 'weekends', 'daily'],
    restart: true,
  });

  triggers() {
    const start = timeBefore(this.wakeTime.value, this.fadeDuration.value);
    const days = this.days.value as 'weekdays' | 'weekends' | 'daily';
    return [new AbsoluteTimeTrigger(start, { days })];
  }

  async action() {
    const light = this.light.thing;
    const level = this.light.propertyName ?? 'level';
    await light.set(level, 1);
    if ('on' in light.values) await light.set('on', true);
    await light.fadeTo(level, 100, this.fadeDuration.value);
  }
}

/** "06:10" for "06:30" and "20m"; a fade over midnight starts the evening before. */
function timeBefore(time: string, duration: string): string {
  const [hours, minutes] = time.split(':').map(Number);
  const day = 24 * 60;
  const start =
    (((hours * 60 + minutes - Math.ceil(parseDuration(duration) / 60_000)) % day) + day) % day;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(start / 60))}:${pad(start % 60)}`;
}
