/** While rules: what whileTrue() changed is put back when the condition ends. */
import { WhileRule } from '../../src/engine/WhileRule';
import { harness } from './harness';

class LeaderWhile extends WhileRule {
  triggers() {
    return [this.things.Philips_HUE_01.property('on')];
  }
  condition() {
    return this.things.Philips_HUE_01.on === true;
  }
  whileTrue() {
    this.things.Philips_HUE_02.on = true;
    this.things.Philips_HUE_02.color = '#ff0000';
    this.things.Philips_HUE_03.level = 20;
  }
}

class Pulse extends WhileRule {
  triggers() {
    return [this.things.Button_1.event('pressed'), this.things.Porch_Light.property('on')];
  }
  condition() {
    return this.things.Porch_Light.on === true;
  }
  async whileTrue() {
    for (;;) {
      this.things.Kettle.on = !this.things.Kettle.on;
      await this.sleep('1s');
    }
  }
}

describe('While rules', () => {
  it('run whileTrue once when the condition becomes true and restore every changed value after', async () => {
    const h = harness();
    h.system.addRule(LeaderWhile, { id: 'w' });
    await h.system.start();
    await h.userSets('sim-philips-hue-03', 'level', 70);
    await h.userSets('sim-philips-hue-01', 'on', true);
    expect(h.info('w').active).toBe(true);
    expect(h.home.values('sim-philips-hue-02')).toMatchObject({ on: true, color: '#ff0000' });
    await h.userSets('sim-philips-hue-01', 'level', 50);
    expect(h.commands).toHaveLength(3);
    await h.userSets('sim-philips-hue-01', 'on', false);
    expect(h.info('w').active).toBe(false);
    expect(h.home.values('sim-philips-hue-02')).toMatchObject({ on: false, color: '#ffffff' });
    expect(h.home.getProperty('sim-philips-hue-03', 'level')).toBe(70);
    expect(h.info('w').kind).toBe('while');
  });

  it('become active at start when the condition already holds', async () => {
    const h = harness();
    h.home.writeProperty('sim-philips-hue-01', 'on', true);
    h.system.addRule(LeaderWhile, { id: 'w' });
    await h.system.start();
    await h.settle();
    expect(h.info('w').active).toBe(true);
    expect(h.home.getProperty('sim-philips-hue-02', 'on')).toBe(true);
  });

  it('stop an async whileTrue when the condition ends and put things back', async () => {
    const h = harness();
    h.system.addRule(Pulse, { id: 'pulse' });
    await h.system.start();
    await h.userSets('sim-porch-light', 'on', true);
    await h.clock.advance('2.5s');
    expect(h.commands.filter((c) => c.startsWith('sim-kettle'))).toHaveLength(3);
    await h.userSets('sim-porch-light', 'on', false);
    await h.clock.advance('10s');
    expect(h.home.getProperty('sim-kettle', 'on')).toBe(false);
    expect(h.commands.filter((c) => c.startsWith('sim-kettle'))).toHaveLength(4);
    expect(h.info('pulse').status).toBe('ok');
  });

  it('put things back when switched off while active', async () => {
    const h = harness();
    h.system.addRule(LeaderWhile, { id: 'w' });
    await h.system.start();
    await h.userSets('sim-philips-hue-01', 'on', true);
    await h.system.setEnabled('w', false);
    await h.settle();
    expect(h.home.getProperty('sim-philips-hue-02', 'on')).toBe(false);
  });

  it('reports what it puts back as a firing, for the runner log and the history', async () => {
    const h = harness();
    h.system.addRule(LeaderWhile, { id: 'w' });
    await h.system.start();
    await h.userSets('sim-philips-hue-01', 'on', true);
    await h.userSets('sim-philips-hue-01', 'on', false);
    expect(h.fired.map((f) => [f.trigger, f.changes])).toEqual([
      [
        'its condition became true',
        [
          'Philips HUE 02 on false → true',
          'Philips HUE 02 color "#ffffff" → "#ff0000"',
          'Philips HUE 03 level 100 → 20',
        ],
      ],
      [
        'its condition ended: put back',
        [
          'Philips HUE 02 on true → false',
          'Philips HUE 02 color "#ff0000" → "#ffffff"',
          'Philips HUE 03 level 20 → 100',
        ],
      ],
    ]);
  });
});
