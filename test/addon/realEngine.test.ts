/**
 * The add-on with its real engine thread, loaded as the gateway loads it (gateway-addon IPC on
 * 127.0.0.1), driving the simulated home over the Web Thing API: rules from a folder become
 * RuleThings, act on the home, stop when switched off, and a broken file shows its error.
 */
import { dataDir, home, removeHome } from './profile';
import fs from 'fs';
import path from 'path';
import { seedHome, SimulatorServer } from '../../src/simulator';
import { IpcPeer, MessageType } from './ipcPeer';
import { waitUntil } from '../waitUntil';
import {
  device,
  deviceAdded,
  loadAddonWithEngine,
  Loaded,
  propertyChanged,
  unloadAddon,
} from './harness';

// A button press every 200 ms, for up to 10 s, until the rule's effect shows.
const PRESSING = { timeoutMs: 10_000, pollMs: 200 };
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJyb2xlIjoidXNlcl90b2tlbiJ9.cmVhbC1lbmdpbmUtdGVzdA';
const rulesFolder = path.join(home, 'my-rules');

const PORCH_RULE = `
import { Rule } from 'rule-things';
export default class PorchButtonRule extends Rule {
  triggers() { return [this.things.Button_1.event('pressed')]; }
  action() { this.things.Porch_Light.on = true; }
}
`;
const KETTLE_RULE = `
import { Rule } from 'rule-things';
export default class KettleButtonRule extends Rule {
  triggers() { return [this.things.Button_1.event('pressed')]; }
  action() { this.things.Kettle.on = true; }
}
`;
const ALARM_RULE = `
import { AbsoluteTimeTrigger, Rule } from 'rule-things';
export default class AlarmRule extends Rule {
  alarm = this.setting('alarmTime', '06:30');
  triggers() { return [new AbsoluteTimeTrigger(this.alarm)]; }
  action() { this.things.Bedside_Ikea_Light.on = true; }
}
`;
const BROKEN_RULE = `import { Rule } from 'rule-things';

export default class BrokenRule extends Rule {
  triggers() { return [; }
}
`;

let peer: IpcPeer;
let port: number;
let simulator: SimulatorServer;
let loaded: Loaded | undefined;

beforeAll(async () => {
  peer = new IpcPeer({ dataDir, baseDir: home });
  port = await peer.listen();
  simulator = new SimulatorServer({ token: TOKEN, home: seedHome() });
  await simulator.start();
  fs.mkdirSync(rulesFolder, { recursive: true });
  fs.writeFileSync(path.join(rulesFolder, 'porch-button.ts'), PORCH_RULE);
  fs.writeFileSync(path.join(rulesFolder, 'kettle-button.ts'), KETTLE_RULE);
  fs.writeFileSync(path.join(rulesFolder, 'broken.ts'), BROKEN_RULE);
  fs.writeFileSync(path.join(rulesFolder, 'alarm.ts'), ALARM_RULE);
  loaded = await loadAddonWithEngine(peer, port, {
    gatewayUrl: simulator.url,
    token: TOKEN,
    rulesFolder,
  });
});

afterAll(async () => {
  if (loaded) await unloadAddon(peer, loaded);
  await simulator.stop();
  await peer.close();
  removeHome();
});

describe('the add-on with its real engine', () => {
  it('announces a RuleThing for each rule of the rules folder', async () => {
    const porch = device(await peer.waitFor(deviceAdded('rule-things-porch-button'), 20_000));
    expect(porch.title).toBe('Porch Button');
    expect(porch.properties.enabled).toMatchObject({ type: 'boolean', value: true });
  });

  it('shows a broken rule file with its file and line in status', async () => {
    const broken = await peer.waitFor(deviceAdded('rule-things-broken'), 20_000);
    expect(device(broken).properties.status.value).toMatch(/broken\.ts:4/);
  });

  it('moves an alarm from the gateway without announcing its thing again', async () => {
    const alarm = 'rule-things-alarm';
    // Its settings are known once the engine has built the rule (after connecting): the thing
    // is announced again with alarmTime then, and its sentence quotes the alarm ("At 06:30 …").
    await peer.waitFor(
      (m) => deviceAdded(alarm)(m) && device(m).properties.alarmTime !== undefined,
      20_000
    );
    const announcedBefore = peer.all(MessageType.DEVICE_ADDED_NOTIFICATION).length;
    const moved = peer.next(propertyChanged(alarm, 'alarmTime', '07:15'));
    setProperty(alarm, 'alarmTime', '07:15');
    await moved;
    // The gateway answers its PUT only on a propertyChanged: a write of the same value gets one too.
    const again = peer.next(propertyChanged(alarm, 'alarmTime', '07:15'));
    setProperty(alarm, 'alarmTime', '07:15');
    await again;
    // A new announcement would replace the gateway's device and drop its pending writes.
    expect(
      peer
        .all(MessageType.DEVICE_ADDED_NOTIFICATION)
        .slice(announcedBefore)
        .filter(deviceAdded(alarm))
    ).toEqual([]);
  });

  it('acts on the simulated home when a button is pressed', async () => {
    simulator.home.setProperty('sim-porch-light', 'on', false);
    // Pressed until the engine has connected and started its rules; the rule only turns on.
    await waitUntil(() => {
      simulator.home.press('Button 1');
      return simulator.home.getProperty('sim-porch-light', 'on') === true;
    }, PRESSING);
  });

  it('stops sending commands once its RuleThing is switched off', async () => {
    setProperty('rule-things-porch-button', 'enabled', false);
    await peer.waitFor(propertyChanged('rule-things-porch-button', 'enabled', false));
    simulator.home.setProperty('sim-porch-light', 'on', false);
    simulator.home.setProperty('sim-kettle', 'on', false);
    // The kettle rule, still on, proves the presses reached the engine.
    await waitUntil(() => {
      simulator.home.press('Button 1');
      return simulator.home.getProperty('sim-kettle', 'on') === true;
    }, PRESSING);
    expect(simulator.home.getProperty('sim-porch-light', 'on')).toBe(false);
  });
});

function setProperty(deviceId: string, propertyName: string, propertyValue: unknown): void {
  peer.send(MessageType.DEVICE_SET_PROPERTY_COMMAND, { deviceId, propertyName, propertyValue });
}
