/** Every rule of the seed (the examples folder) runs on the engine against the simulated home. */
import BondedBulbsRule from '../../examples/bonded-bulbs';
import ButtonKettleRule from '../../examples/button-kettle';
import ExampleIfRule from '../../examples/example-if';
import ExampleWhileRule from '../../examples/example-while';
import LearningSceneRule from '../../examples/learning-scene';
import {
  MorningFadeWakeRule,
  MorningWakeRule,
  WeekdayWeekendWakeRule,
} from '../../examples/morning-wake';
import MotionNightLightRule from '../../examples/motion-night-light';
import PorchLightRule from '../../examples/porch-light';
import RainbowRule from '../../examples/rainbow';
import { harness } from './harness';

describe('the seed rules', () => {
  it('turns on 02, 03 and 04 when 01 goes on (ExampleIfRule), and leaves them on when 01 goes off', async () => {
    const h = harness();
    h.system.addRule(ExampleIfRule, { id: 'if' });
    await h.system.start();
    await h.userSets('sim-philips-hue-01', 'on', true);
    expect(['02', '03', '04'].map((n) => h.home.getProperty(`sim-philips-hue-${n}`, 'on'))).toEqual(
      [true, true, true]
    );
    await h.userSets('sim-philips-hue-01', 'on', false);
    expect(h.home.getProperty('sim-philips-hue-02', 'on')).toBe(true);
    expect(h.info('if').status).toBe('ok');
  });

  it('makes 02, 03 and 04 follow 01 both ways (ExampleWhileRule)', async () => {
    const h = harness();
    h.system.addRule(ExampleWhileRule, { id: 'while' });
    await h.system.start();
    await h.userSets('sim-philips-hue-01', 'on', true);
    await h.userSets('sim-philips-hue-01', 'on', false);
    expect(h.home.getProperty('sim-philips-hue-04', 'on')).toBe(false);
    expect(h.commands).toHaveLength(6);
  });

  it('bonds four bulbs so a color change on one is echoed by the other three only', async () => {
    const h = harness();
    h.system.addRule(BondedBulbsRule, { id: 'bonded', enabled: true });
    await h.system.start();
    await h.userSets('sim-philips-hue-03', 'color', '#00ff00');
    await h.clock.advance('5s');
    expect(h.commands.sort()).toEqual([
      'sim-philips-hue-01 color="#00ff00"',
      'sim-philips-hue-02 color="#00ff00"',
      'sim-philips-hue-04 color="#00ff00"',
    ]);
  });

  it('toggles the kettle on each press of Button 1', async () => {
    const h = harness();
    h.system.addRule(ButtonKettleRule, { id: 'kettle' });
    await h.system.start();
    h.home.press('Button 1');
    await h.settle();
    expect(h.home.getProperty('sim-kettle', 'on')).toBe(true);
    h.home.press('Button 1');
    await h.settle();
    expect(h.home.getProperty('sim-kettle', 'on')).toBe(false);
  });

  it('rotates the rainbow across six bulbs every two seconds', async () => {
    const h = harness();
    h.system.addRule(RainbowRule, { id: 'rainbow' });
    await h.system.start();
    await h.settle();
    expect(h.home.getProperty('sim-philips-hue-01', 'color')).toBe('#ff0000');
    await h.clock.advance('2s');
    expect(h.home.getProperty('sim-philips-hue-01', 'color')).toBe('#8b00ff');
    expect(h.home.getProperty('sim-philips-hue-02', 'color')).toBe('#ff0000');
    await h.clock.advance('4s');
    expect(h.home.getProperty('sim-philips-hue-01', 'color')).toBe('#00ff00');
  });

  it('turns the bedside light on at 06:30 (MorningWakeRule, switched on by hand)', async () => {
    const h = harness('2027-06-14T06:00');
    h.system.addRule(MorningWakeRule, { id: 'wake' });
    await h.system.start();
    expect(h.info('wake').enabled).toBe(false);
    await h.system.setEnabled('wake', true);
    await h.clock.advance('29m');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'on')).toBe(false);
    await h.clock.advance('1m');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'on')).toBe(true);
  });

  it('wakes at the weekend alarm on a Saturday and follows a changed setting', async () => {
    const h = harness('2027-06-19T06:00');
    h.system.addRule(WeekdayWeekendWakeRule, { id: 'wake', enabled: true });
    await h.system.start();
    h.system.setSetting('wake', 'weekendAlarm', '07:45');
    await h.clock.advance('1h30m');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'on')).toBe(false);
    await h.clock.advance('15m');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'on')).toBe(true);
  });

  it('fades the bedside light to full over the fade duration from the alarm time', async () => {
    const h = harness('2027-06-14T06:00');
    h.system.addRule(MorningFadeWakeRule, { id: 'fade' });
    await h.system.start();
    await h.clock.advance('10m');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'on')).toBe(true);
    expect(h.info('fade').active).toBe(true);
    await h.clock.advance('10m');
    const halfway = h.home.getProperty('sim-bedside-ikea-light', 'level') as number;
    expect(halfway).toBeGreaterThan(40);
    expect(halfway).toBeLessThan(60);
    await h.clock.advance('10m');
    expect(h.home.getProperty('sim-bedside-ikea-light', 'level')).toBe(100);
    expect(h.info('fade').active).toBe(false);
  });

  it('turns the porch light on at civil dusk and off at 23:00', async () => {
    const h = harness('2027-06-14T12:00');
    h.system.addRule(PorchLightRule, { id: 'porch' });
    await h.system.start();
    // Civil dusk in Berlin in mid-June is after 22:00 local time.
    await h.clock.advanceTo('2027-06-14T22:00');
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(false);
    await h.clock.advanceTo('2027-06-14T22:59');
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
    await h.clock.advanceTo('2027-06-14T23:01');
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(false);
  });

  it('lights the porch while there is motion at night and puts it back after', async () => {
    const h = harness('2027-06-14T23:30');
    h.system.addRule(MotionNightLightRule, { id: 'motion' });
    await h.system.start();
    h.home.setProperty('sim-motion-sensor', 'motion', true);
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
    expect(h.info('motion').active).toBe(true);
    h.home.setProperty('sim-motion-sensor', 'motion', false);
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(false);
    expect(h.info('motion').active).toBe(false);
  });

  it('learns a scene and restores it on Button 2', async () => {
    const h = harness();
    h.system.addRule(LearningSceneRule, { id: 'scene' });
    await h.system.start();
    await h.userSets('sim-philips-hue-05', 'on', true);
    await h.userSets('sim-philips-hue-05', 'color', '#123456');
    h.system.setSetting('scene', 'learn', true);
    await h.settle();
    expect(h.info('scene').settings.find((s) => s.name === 'learn')?.value).toBe(false);
    await h.userSets('sim-philips-hue-05', 'on', false);
    h.home.press('Button 2');
    await h.settle();
    expect(h.home.getProperty('sim-philips-hue-05', 'on')).toBe(true);
    expect(h.info('scene').status).toBe('ok');
  });
});
