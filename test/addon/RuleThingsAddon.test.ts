/**
 * The add-on loaded as the gateway loads it, over the gateway-addon IPC on 127.0.0.1, with a
 * protocol-peer worker in place of the engine; every IPC message is checked against the schemas.
 */
import { dataDir, home, writeConfig } from './profile';
import fs from 'fs';
import path from 'path';
import { MessageType } from './ipcPeer';
import {
  device,
  deviceAdded,
  errorNotice,
  journal,
  journalHas,
  loadAddon,
  propertyChanged,
  saveDevice,
} from './harness';
import { usePeer } from './peerFixture';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJyb2xlIjoidXNlcl90b2tlbiJ9.c2lnbmF0dXJlLW5vdC1yZWFs';
const WAKE = 'rule-things-morning-wake';
const addonData = path.join(dataDir, 'rule-things');
const journalFile = path.join(home, 'journal.jsonl');

const { peer, load, unload, setProperty } = usePeer('each', { PEER_JOURNAL: journalFile });

beforeEach(async () => {
  fs.rmSync(addonData, { recursive: true, force: true });
  fs.rmSync(journalFile, { force: true });
  peer.clear();
  await writeConfig({ accessToken: TOKEN, latitude: 52.52, longitude: 13.4, timeZone: 'UTC' });
});

async function start(overrides: Parameters<typeof loadAddon>[2] = {}): Promise<void> {
  await load(overrides);
  await peer.waitFor(deviceAdded(WAKE));
}

describe('the add-on in the gateway', () => {
  it('announces one RuleThing per rule with its members, and the Sun', async () => {
    await start();
    const adapter = await peer.waitFor(
      (m) => m.messageType === MessageType.ADAPTER_ADDED_NOTIFICATION
    );
    expect(adapter.data).toMatchObject({ adapterId: 'rule-things', packageName: 'rule-things' });

    const wake = device(await peer.waitFor(deviceAdded(WAKE)));
    expect(wake.title).toBe('Morning Wake');
    expect(wake['@type']).toEqual(['OnOffSwitch']);
    expect(wake.properties.enabled).toMatchObject({
      '@type': 'OnOffProperty',
      type: 'boolean',
      value: true,
    });
    expect(wake.properties.alarmTime).toMatchObject({ type: 'string', value: '06:30' });
    expect(wake.properties.alarmTime.readOnly).toBeFalsy();
    expect(wake.properties.level).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 100,
      value: 100,
    });
    expect(wake.properties.active).toMatchObject({ type: 'boolean', readOnly: true, value: false });
    expect(wake.properties.lastFired).toMatchObject({ type: 'string', readOnly: true });
    expect(wake.properties.status).toMatchObject({ type: 'string', readOnly: true, value: 'ok' });
    expect(Object.keys(wake.events)).toEqual(['fired']);
    expect(Object.keys(wake.actions)).toEqual(['run']);
    await peer.waitFor(deviceAdded('rule-things-porch-light'));

    const sun = device(await peer.waitFor(deviceAdded('rule-things-sun')));
    expect(Object.keys(sun.properties).sort()).toEqual(
      ['azimuth', 'daylight', 'elevation', 'night', 'nextEvent', 'status'].sort()
    );
    expect(sun.properties.night).toMatchObject({ type: 'boolean', readOnly: true });
    expect(Object.keys(sun.events).sort()).toEqual(
      ['blueHour', 'dawn', 'dusk', 'goldenHour', 'sunrise', 'sunset'].sort()
    );
  });

  it('passes setProperty enabled=false on to the engine and confirms it', async () => {
    await start();
    setProperty(WAKE, 'enabled', false);
    await journalHas(
      journalFile,
      (e) => e.type === 'setEnabled' && e.ruleId === 'morning-wake' && e.enabled === false
    );
    await peer.waitFor(propertyChanged(WAKE, 'enabled', false));
  });

  it('refuses alarmTime "25:99" with a message naming it, and keeps "06:30"', async () => {
    await start();
    const kept = peer.next(propertyChanged(WAKE, 'alarmTime'));
    setProperty(WAKE, 'alarmTime', '25:99');
    expect((await kept).data.property).toMatchObject({ value: '06:30' });
    const notice = await peer.waitFor(errorNotice('alarmTime'));
    expect(notice.data.message).toContain('Morning Wake alarmTime "25:99"');
    expect(notice.data.message).toContain('HH:MM');
    expect(notice.data.message).toContain('it stays "06:30"');
    const status = await peer.waitFor(propertyChanged(WAKE, 'status'));
    expect(String((status.data.property as { value: string }).value)).toContain('"25:99"');
    expect(journal(journalFile).some((e) => e.type === 'setSetting')).toBe(false);
  });

  it('refuses a level above its maximum, naming the allowed range', async () => {
    await start();
    setProperty(WAKE, 'level', 150);
    const notice = await peer.waitFor(errorNotice('level'));
    expect(notice.data.message).toContain(
      'level 150 is above the maximum 100 (allowed: a whole number from 0 to 100)'
    );
  });

  it('keeps enabled flags and settings across a restart of the add-on', async () => {
    await start();
    setProperty(WAKE, 'alarmTime', '07:15');
    await peer.waitFor(propertyChanged(WAKE, 'alarmTime', '07:15'));
    setProperty(WAKE, 'enabled', false);
    await peer.waitFor(propertyChanged(WAKE, 'enabled', false));
    await unload();
    // unload() resolves only after the engine stopped: the worker saw "stop" last.
    expect(journal(journalFile).at(-1)).toEqual({ type: 'stop' });

    peer.clear();
    await start();
    const wake = device(await peer.waitFor(deviceAdded(WAKE)));
    expect(wake.properties.alarmTime.value).toBe('07:15');
    expect(wake.properties.enabled.value).toBe(false);
    const starts = journal(journalFile).filter((e) => e.type === 'start');
    expect(starts.at(-1)?.saved).toEqual({
      'morning-wake': { enabled: false, settings: { alarmTime: '07:15' } },
    });
  });

  function run(actionId: string): void {
    peer.send(MessageType.DEVICE_REQUEST_ACTION_REQUEST, {
      deviceId: WAKE,
      actionName: 'run',
      actionId,
      input: {},
    });
  }

  const firedEvent = (m: { messageType: number; data: Record<string, unknown> }) =>
    m.messageType === MessageType.DEVICE_EVENT_NOTIFICATION && m.data.deviceId === WAKE;

  const actionDone =
    (actionId: string) => (m: { messageType: number; data: Record<string, unknown> }) =>
      m.messageType === MessageType.DEVICE_REQUEST_ACTION_RESPONSE &&
      m.data.actionId === actionId &&
      m.data.success === true;

  it('runs a rule from the run action and emits fired once the gateway has saved its thing', async () => {
    await start();
    saveDevice(peer, await peer.waitFor(deviceAdded(WAKE)));
    run('a1');
    const fired = await peer.waitFor(firedEvent);
    expect(fired.data.event).toMatchObject({ name: 'fired', data: 'run from the gateway' });
    await peer.waitFor(propertyChanged(WAKE, 'lastFired'));
    await peer.waitFor(actionDone('a1'));
  });

  it('sends no fired event for a RuleThing the user has not added, nor after removing it', async () => {
    await start();
    run('a1');
    await peer.waitFor(actionDone('a1'));
    await peer.waitFor(propertyChanged(WAKE, 'lastFired'));
    expect(peer.received.filter(firedEvent)).toEqual([]);

    saveDevice(peer, await peer.waitFor(deviceAdded(WAKE)));
    peer.send(MessageType.ADAPTER_REMOVE_DEVICE_REQUEST, { deviceId: WAKE });
    await peer.waitFor(
      (m) =>
        m.messageType === MessageType.ADAPTER_REMOVE_DEVICE_RESPONSE && m.data.deviceId === WAKE
    );
    // Offered again under "+", but not added: still no events.
    peer.clear();
    peer.send(MessageType.ADAPTER_START_PAIRING_COMMAND, { timeout: 60 });
    await peer.waitFor(deviceAdded(WAKE));
    run('a2');
    await peer.waitFor(actionDone('a2'));
    await peer.waitFor(propertyChanged(WAKE, 'lastFired'));
    expect(peer.received.filter(firedEvent)).toEqual([]);
  });

  it('offers every thing again when pairing, after one was removed', async () => {
    await start();
    peer.send(MessageType.ADAPTER_REMOVE_DEVICE_REQUEST, { deviceId: WAKE });
    await peer.waitFor(
      (m) =>
        m.messageType === MessageType.ADAPTER_REMOVE_DEVICE_RESPONSE && m.data.deviceId === WAKE
    );
    peer.clear();
    peer.send(MessageType.ADAPTER_START_PAIRING_COMMAND, { timeout: 60 });
    await peer.waitFor(deviceAdded(WAKE));
    await peer.waitFor(deviceAdded('rule-things-sun'));
  });

  it('switches off a rule that blocks the engine, restarts the engine and says why', async () => {
    await start({ engine: { heartbeatTimeoutMs: 400 } });
    const blocker = 'rule-things-blocker';
    await peer.waitFor(deviceAdded(blocker));
    peer.send(MessageType.DEVICE_REQUEST_ACTION_REQUEST, {
      deviceId: blocker,
      actionName: 'run',
      actionId: 'b1',
      input: {},
    });
    const notice = await peer.waitFor(errorNotice('Blocker was switched off'));
    expect(notice.data.message).toMatch(/kept the rule engine busy for \d+ s in action\(\)/);
    await peer.waitFor(propertyChanged(blocker, 'enabled', false));
    await peer.waitFor(propertyChanged(blocker, 'status'));
    const starts = journal(journalFile).filter((e) => e.type === 'start');
    expect(starts).toHaveLength(2);
    expect(starts[1].saved).toEqual({ blocker: { enabled: false } });
  });

  it('never sends the access token in any message', async () => {
    await start();
    setProperty(WAKE, 'alarmTime', 'nope');
    await peer.waitFor(errorNotice('alarmTime'));
    expect(JSON.stringify(peer.received)).not.toContain(TOKEN);
    expect(journal(journalFile)[0]).toMatchObject({ type: 'start', hasToken: true });
  });
});

describe('the add-on with bad or missing settings', () => {
  it('still shows the RuleThings when the token is missing, and says so in status', async () => {
    await writeConfig({ latitude: 52.52, longitude: 13.4 });
    await start();
    const wake = device(await peer.waitFor(deviceAdded(WAKE)));
    expect(wake.properties.status.value).toMatch(
      /^no access token: create one in the gateway under Settings → Developer → Create local authorization/
    );
    await peer.waitFor(errorNotice('no access token'));
    expect(journal(journalFile)[0]).toMatchObject({ type: 'start', hasToken: false });
  });

  it('names an out-of-range latitude and an unknown time zone, and keeps running', async () => {
    await writeConfig({
      accessToken: TOKEN,
      latitude: 200,
      longitude: 13.4,
      timeZone: 'Mars/Olympus_Mons',
    });
    await start();
    await peer.waitFor(errorNotice('latitude 200 is not a number from -90 to 90'));
    await peer.waitFor(errorNotice('timeZone "Mars/Olympus_Mons" is not an IANA time zone'));
    const sun = device(await peer.waitFor(deviceAdded('rule-things-sun')));
    expect(sun.properties.status.value).toContain('latitude 200');
  });

  it('writes log lines without its own id, which the gateway puts before each line itself', async () => {
    const lines: string[] = [];
    const keep = (...args: unknown[]) => {
      lines.push(String(args[0]));
    };
    const spies = [
      jest.spyOn(console, 'info').mockImplementation(keep),
      jest.spyOn(console, 'warn').mockImplementation(keep),
      jest.spyOn(console, 'error').mockImplementation(keep),
    ];
    try {
      await writeConfig({ latitude: 52.52, longitude: 13.4 });
      await start();
      await peer.waitFor(errorNotice('no access token'));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(lines.some((line) => line.startsWith('no access token'))).toBe(true);
    expect(lines.filter((line) => line.startsWith('rule-things:'))).toEqual([]);
  });

  it('names a gateway URL that is not a URL', async () => {
    await writeConfig({ accessToken: TOKEN, gatewayUrl: 'gateway.local:8080' });
    await start();
    await peer.waitFor(
      errorNotice('gatewayUrl "gateway.local:8080" is not an http:// or https:// URL')
    );
  });
});
