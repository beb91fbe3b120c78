/**
 * The Sun thing over the real IPC, on a virtual clock: position on a June noon in Berlin, and the
 * sunset event at the time suncalc's own sunset formula gives (computed independently of ours).
 */
import { writeConfig } from './profile';
import * as SunCalc from 'suncalc';
import { VirtualClock } from '../../src/clock';
import { MessageType } from './ipcPeer';
import { device, deviceAdded, errorNotice, saveDevice } from './harness';
import { usePeer } from './peerFixture';

const BERLIN = { latitude: 52.52, longitude: 13.405 };
const NOON = Date.UTC(2027, 5, 21, 11, 0);

const { peer, load } = usePeer('all');
let clock: VirtualClock;

beforeAll(async () => {
  await writeConfig({ accessToken: 'a.b.c', ...BERLIN, timeZone: 'Europe/Berlin' });
  await load({
    // No engine in this test: the Sun must work without one.
    engineScript: '/nonexistent/worker.js',
    clock: (zone) => (clock = new VirtualClock(NOON, zone)),
  });
  // The user has added the Sun: the gateway says so, and only then are its events sent.
  saveDevice(peer, await peer.waitFor(deviceAdded('rule-things-sun')));
});

describe('the Sun thing', () => {
  it('shows daylight and the sun high in the south at a June noon in Berlin', async () => {
    const sun = device(await peer.waitFor(deviceAdded('rule-things-sun')));
    expect(sun.properties.daylight.value).toBe(true);
    expect(sun.properties.night.value).toBe(false);
    expect(sun.properties.elevation.value).toBeGreaterThan(55);
    expect(sun.properties.azimuth.value).toBeGreaterThan(150);
    expect(sun.properties.azimuth.value).toBeLessThan(210);
    expect(sun.properties.nextEvent.value).toMatch(/^Golden hour at \d\d:\d\d$/);
    expect(sun.properties.status.value).toBe('ok');
  });

  it('says plainly that the engine is missing, while the Sun keeps working', async () => {
    await peer.waitFor(errorNotice('The rule engine is missing'));
  });

  it('fires sunset within two minutes of the sunset suncalc computes', async () => {
    const sunset = SunCalc.getTimes(new Date(NOON), BERLIN.latitude, BERLIN.longitude).sunset;
    if (!sunset) throw new Error('suncalc gives no sunset for Berlin in June');
    const expected = sunset.getTime();
    const isSunset = (m: { messageType: number; data: Record<string, unknown> }) =>
      m.messageType === MessageType.DEVICE_EVENT_NOTIFICATION &&
      (m.data.event as { name: string }).name === 'sunset';
    await clock.advanceTo(expected - 2 * 60_000);
    expect(peer.received.some(isSunset)).toBe(false);
    const fired = peer.next(isSunset);
    await clock.advanceTo(expected + 2 * 60_000);
    expect((await fired).data.event).toMatchObject({ name: 'sunset', data: 'evening' });
  });

  it('turns night on after dusk', async () => {
    await clock.advanceTo(Date.UTC(2027, 5, 21, 23, 0));
    const night = peer.received
      .filter((m) => m.messageType === MessageType.DEVICE_PROPERTY_CHANGED_NOTIFICATION)
      .map((m) => m.data.property as { name: string; value: unknown })
      .filter((p) => p.name === 'night');
    expect(night.at(-1)?.value).toBe(true);
  });
});
