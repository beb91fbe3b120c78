/** A failing rule shows its error in its own status; the other rules carry on. */
import { Rule } from '../../src/engine/Rule';
import { harness } from './harness';

class Throws extends Rule {
  triggers() {
    return [this.things.Button_1.event('pressed')];
  }
  action() {
    throw new Error('boom');
  }
}

class Rejects extends Rule {
  triggers() {
    return [this.things.Button_1.event('pressed')];
  }
  async action() {
    await this.sleep('1s');
    throw new Error('late boom');
  }
}

class Works extends Rule {
  triggers() {
    return [this.things.Button_1.event('pressed')];
  }
  action() {
    this.things.Kettle.on = true;
  }
}

class BadStart extends Rule {
  initialState() {
    throw new Error('cannot set up');
  }
  triggers() {
    return [this.things.Button_1.event('pressed')];
  }
  action() {
    this.things.Porch_Light.on = true;
  }
}

class MissingThing extends Rule {
  lamp = this.things.Desk_Lamp;
  triggers() {
    return [this.lamp];
  }
}

describe('error isolation', () => {
  it('gives each failing action its own status while the others work', async () => {
    const h = harness();
    h.system.addRule(Throws, { id: 'throws' });
    h.system.addRule(Rejects, { id: 'rejects' });
    h.system.addRule(Works, { id: 'works' });
    await h.system.start();
    h.home.press('Button 1');
    await h.clock.advance('2s');
    expect(h.info('throws').status).toBe('error in action: boom');
    expect(h.info('rejects').status).toBe('error in action: late boom');
    expect(h.info('works').status).toBe('ok');
    expect(h.home.getProperty('sim-kettle', 'on')).toBe(true);
  });

  it('keeps a rule whose initialState failed running, with the error as status', async () => {
    const h = harness();
    h.system.addRule(BadStart, { id: 'bad' });
    await h.system.start();
    expect(h.info('bad').status).toBe('error in initialState: cannot set up');
    h.home.press('Button 1');
    await h.settle();
    expect(h.home.getProperty('sim-porch-light', 'on')).toBe(true);
  });

  it('does not start a rule that names a missing thing, and starts it once the thing appears', async () => {
    const h = harness();
    h.system.addRule(MissingThing, { id: 'missing' });
    h.system.addRule(Works, { id: 'works' });
    await h.system.start();
    expect(h.info('missing').status).toMatch(
      /^failed to start: Unknown thing: this\.things\.Desk_Lamp does not exist \(closest: /
    );
    expect(h.info('works').status).toBe('ok');
    h.home.addThing({
      id: 'sim-desk',
      title: 'Desk Lamp',
      properties: { on: { type: 'boolean', value: false } },
    });
    await h.settle();
    expect(h.info('missing').status).toBe('ok');
  });

  it('survives a listener of its own events that throws', async () => {
    const h = harness();
    h.system.on('fired', () => {
      throw new Error('bad listener');
    });
    h.system.addRule(Works, { id: 'works' });
    await h.system.start();
    h.home.press('Button 1');
    await h.settle();
    expect(h.home.getProperty('sim-kettle', 'on')).toBe(true);
    expect(h.logs.some((l) => /a listener of "fired" threw: bad listener/.test(l))).toBe(true);
  });
});
