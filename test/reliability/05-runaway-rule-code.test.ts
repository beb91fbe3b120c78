/**
 * Issue 6, point 5: rule code that throws, rejects or never resolves is its own rule's problem
 * (a never-resolving action is given up after its timeout, whatever its concurrency mode); an
 * endless loop in the real engine thread is caught by the watchdog while the adapter keeps
 * answering; a rule that leaks is reported when the engine crosses its heap limit.
 */
import { dataDir, home, removeHome, writeConfig } from '../addon/profile';
import fs from 'fs';
import path from 'path';
import { Rule } from 'rule-things';
import { seedHome, SimulatorServer } from '../../src/simulator';
import { IpcPeer, MessageType } from '../addon/ipcPeer';
import {
  deviceAdded,
  errorNotice,
  loadAddon,
  loadAddonWithEngine,
  Loaded,
  propertyChanged,
  unloadAddon,
} from '../addon/harness';
import { Stack, startStack, TOKEN } from './stack';

// Generous: the engine thread compiles rules with sucrase, and the suite runs files in parallel.
const SLOW = 40_000;

abstract class OnMotion extends Rule {
  triggers() {
    return [this.things.Motion_Sensor.property('motion')];
  }
}

class ThrowingRule extends OnMotion {
  action() {
    throw new Error('sync boom');
  }
}

class RejectingRule extends OnMotion {
  async action() {
    await this.sleep('1s');
    throw new Error('async boom');
  }
}

class HangingRule extends OnMotion {
  static timeout = '1m';
  runs = 0;
  action() {
    this.runs++;
    return new Promise<void>(() => undefined);
  }
}

class HangingQueuedRule extends HangingRule {
  static mode = 'queued' as const;
}

class HealthyRule extends OnMotion {
  action(_trigger: unknown, _property: string, value: unknown) {
    this.things.Porch_Light.on = value;
  }
}

describe('rules that throw, reject or hang', () => {
  let s: Stack;

  afterEach(async () => {
    await s.stop();
  });

  test('each failing rule shows its own error, a hanging action is given up after its timeout, and the others work', async () => {
    s = await startStack({
      rules: [
        [ThrowingRule, { id: 'throws' }],
        [RejectingRule, { id: 'rejects' }],
        [HangingRule, { id: 'hangs' }],
        [HangingQueuedRule, { id: 'hangs-queued' }],
        [HealthyRule, { id: 'healthy' }],
      ],
    });
    const motion = async (value: boolean): Promise<void> => {
      const seen = s.next('propertyChanged', (c) => c.thingId === 'sim-motion-sensor');
      s.home.setProperty('sim-motion-sensor', 'motion', value);
      await seen;
      await s.clock.advance(0);
    };
    const runs = (id: string) => (s.system.instance(id) as HangingRule).runs;

    await motion(true);
    await s.clock.advance('1s');
    expect(s.system.rule('throws')!.status).toBe('error in action: sync boom');
    expect(s.system.rule('rejects')!.status).toBe('error in action: async boom');
    expect(s.home.getProperty('sim-porch-light', 'on')).toBe(true);

    // While the hanging actions run, "single" refuses a trigger and "queued" keeps it waiting.
    await motion(false);
    expect([runs('hangs'), runs('hangs-queued')]).toEqual([1, 1]);
    expect(s.system.rule('hangs')!.active).toBe(true);

    await s.clock.advance('1m');
    for (const id of ['hangs', 'hangs-queued']) {
      expect(s.system.rule(id)!.status).toMatch(
        /^action did not finish within 1 minute: it was abandoned so the rule can run again \(mode (single|queued)\)$/
      );
    }
    // The queued trigger got its turn; "single" runs again on the next trigger.
    expect([runs('hangs'), runs('hangs-queued')]).toEqual([1, 2]);
    await motion(true);
    expect(runs('hangs')).toBe(2);
    expect(s.home.getProperty('sim-porch-light', 'on')).toBe(true);
    expect(s.system.rule('healthy')!.status).toBe('ok');
  });
});

describe('the add-on with its real engine thread', () => {
  const rulesFolder = path.join(home, 'runaway-rules');
  let peer: IpcPeer;
  let port: number;
  let loaded: Loaded | undefined;
  let simulator: SimulatorServer | undefined;

  beforeAll(async () => {
    peer = new IpcPeer({ dataDir, baseDir: home });
    port = await peer.listen();
  });

  afterEach(async () => {
    if (loaded) await unloadAddon(peer, loaded);
    loaded = undefined;
    await simulator?.stop();
    simulator = undefined;
    peer.clear();
    fs.rmSync(path.join(dataDir, 'rule-things'), { recursive: true, force: true });
  });

  afterAll(async () => {
    await peer.close();
    removeHome();
  });

  test("the setting ruleCodeLimitSeconds is the longest a rule's code may run without a break: a 1.5 s computation is stopped at 0.5 s", async () => {
    simulator = new SimulatorServer({ token: TOKEN, home: seedHome() });
    await simulator.start();
    fs.mkdirSync(rulesFolder, { recursive: true });
    fs.writeFileSync(
      path.join(rulesFolder, 'slow-sum.ts'),
      `import { Rule } from 'rule-things';
export default class SlowSumRule extends Rule {
  action() {
    const end = Date.now() + 1500;
    while (Date.now() < end) { /* finite, but longer than the setting allows */ }
  }
}
`
    );
    loaded = await loadAddonWithEngine(peer, port, {
      gatewayUrl: simulator.url,
      token: TOKEN,
      rulesFolder,
      config: { ruleCodeLimitSeconds: 0.5 },
    });
    const slow = 'rule-things-slow-sum';
    await peer.waitFor(deviceAdded(slow), SLOW);
    const switchedOff = peer.waitFor(errorNotice('Slow Sum was switched off'), SLOW);
    // Run until the engine, which connects in its own time, has run it once.
    let runs = 0;
    const run = setInterval(() => {
      peer.send(MessageType.DEVICE_REQUEST_ACTION_REQUEST, {
        deviceId: slow,
        actionName: 'run',
        actionId: `sum-${++runs}`,
        input: {},
      });
    }, 2000);
    const notice = await switchedOff.finally(() => clearInterval(run));
    expect(String(notice.data.message)).toMatch(
      /Slow Sum was switched off: it kept the rule engine busy for [01] s in action\(\), so the engine was restarted/
    );
    await peer.waitFor(propertyChanged(slow, 'enabled', false), SLOW);
  }, 90_000);

  test('an endless loop is stopped by the watchdog, which switches the rule off and names it and its method, while the RuleThings keep answering', async () => {
    simulator = new SimulatorServer({ token: TOKEN, home: seedHome() });
    await simulator.start();
    fs.mkdirSync(rulesFolder, { recursive: true });
    fs.writeFileSync(
      path.join(rulesFolder, 'endless-loop.ts'),
      `import { Rule } from 'rule-things';
export default class EndlessLoopRule extends Rule {
  action() { for (;;) { /* never yields */ } }
}
`
    );
    fs.writeFileSync(
      path.join(rulesFolder, 'kettle-button.ts'),
      `import { Rule } from 'rule-things';
export default class KettleButtonRule extends Rule {
  triggers() { return [this.things.Button_1.event('pressed')]; }
  action() { this.things.Kettle.on = !this.things.Kettle.on; }
}
`
    );
    loaded = await loadAddonWithEngine(peer, port, {
      gatewayUrl: simulator.url,
      token: TOKEN,
      rulesFolder,
      engine: { heartbeatTimeoutMs: 1500 },
    });
    const endless = 'rule-things-endless-loop';
    const kettle = 'rule-things-kettle-button';
    await peer.waitFor(deviceAdded(endless), SLOW);
    await peer.waitFor(deviceAdded(kettle), SLOW);
    // The engine connects in its own time: once a press toggles the kettle, its rules run.
    await pressUntilKettleIs(true);

    peer.send(MessageType.DEVICE_REQUEST_ACTION_REQUEST, {
      deviceId: endless,
      actionName: 'run',
      actionId: 'loop',
      input: {},
    });
    // The engine thread is stuck; the adapter on the main thread still takes a write.
    peer.send(MessageType.DEVICE_SET_PROPERTY_COMMAND, {
      deviceId: kettle,
      propertyName: 'enabled',
      propertyValue: false,
    });
    await peer.waitFor(propertyChanged(kettle, 'enabled', false), SLOW);

    const notice = await peer.waitFor(errorNotice('Endless Loop was switched off'), SLOW);
    const busy = String(notice.data.message).match(
      /Endless Loop was switched off: it kept the rule engine busy for (\d+) s in action\(\), so the engine was restarted/
    );
    expect(busy).not.toBeNull();
    // The heartbeat timeout (1.5 s) acts, not the startup timeout (20 s): the loop starts well
    // within a second of the engine's start, and the watchdog must not wait for a first heartbeat.
    expect(Number(busy![1])).toBeLessThanOrEqual(5);
    await peer.waitFor(propertyChanged(endless, 'enabled', false), SLOW);
    const status = await peer.waitFor(propertyChanged(endless, 'status'), SLOW);
    expect(String((status.data.property as { value: unknown }).value)).toContain('in action()');

    // The restarted engine runs the other rule again.
    peer.send(MessageType.DEVICE_SET_PROPERTY_COMMAND, {
      deviceId: kettle,
      propertyName: 'enabled',
      propertyValue: true,
    });
    await peer.waitFor(propertyChanged(kettle, 'enabled', true), SLOW);
    await pressUntilKettleIs(false);
  }, 120_000);

  /** Presses Button 1 every 200 ms until the kettle rule has switched the kettle to `on`. */
  async function pressUntilKettleIs(on: boolean): Promise<void> {
    const home = simulator!.home;
    const done = new Promise<void>((resolve) => {
      const listener = (c: { thingId: string; value: unknown }): void => {
        if (c.thingId !== 'sim-kettle' || c.value !== on) return;
        home.off('propertyChanged', listener);
        resolve();
      };
      home.on('propertyChanged', listener);
    });
    const press = setInterval(() => home.press('Button 1'), 200);
    await done.finally(() => clearInterval(press));
  }

  test('a rule that leaks is reported when the engine crosses its heap limit, and the engine is restarted', async () => {
    await writeConfig({ accessToken: TOKEN, latitude: 52.52, longitude: 13.4, timeZone: 'UTC' });
    loaded = await loadAddon(peer, port, {
      engineScript: path.join(__dirname, 'fixtures', 'leakingWorker.js'),
      engine: { maxHeapMb: 32 },
    });
    await peer.waitFor(deviceAdded('rule-things-leaky'));
    peer.clear();
    peer.send(MessageType.DEVICE_REQUEST_ACTION_REQUEST, {
      deviceId: 'rule-things-leaky',
      actionName: 'run',
      actionId: 'leak',
      input: {},
    });

    const notice = await peer.waitFor(errorNotice('memory limit'), 20_000);
    expect(notice.data.message).toBe(
      'Rule Things: The rule engine used more than its 32 MB memory limit and was stopped: a rule keeps too much data (the last rule running was Leaky). It restarts by itself.'
    );
    await peer.waitFor(errorNotice('restarting it in 1 s'));
  }, 30_000);
});
