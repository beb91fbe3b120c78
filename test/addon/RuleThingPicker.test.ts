/**
 * A thing setting on a RuleThing, over the gateway-addon IPC: a drop-down of thing titles whose
 * choice reaches the engine as the thing's id, and a drop-down that grows while the gateway waits
 * on a write is announced only after the write is answered (a new announcement would lose it).
 */
import { dataDir, home, writeConfig } from './profile';
import fs from 'fs';
import path from 'path';
import { MessageType } from './ipcPeer';
import { device, deviceAdded, journalHas, propertyChanged } from './harness';
import { usePeer } from './peerFixture';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJyb2xlIjoidXNlcl90b2tlbiJ9.cGlja2VyLXRlc3Q';
const LAMP = 'rule-things-lamp-timer';
const journalFile = path.join(home, 'picker-journal.jsonl');

const { peer, load, setProperty } = usePeer('all', {
  PEER_PICKER: '1',
  PEER_JOURNAL: journalFile,
});

beforeAll(async () => {
  await writeConfig({ accessToken: TOKEN, latitude: 52.52, longitude: 13.4, timeZone: 'UTC' });
  await load();
});

const announcements = () =>
  peer.all(MessageType.DEVICE_ADDED_NOTIFICATION).filter(deviceAdded(LAMP)).length;

describe('a thing setting on a RuleThing', () => {
  it('is a drop-down of the matching things’ titles, empty until one is chosen', async () => {
    const lamp = device(await peer.waitFor(deviceAdded(LAMP)));
    expect(lamp.properties.light).toMatchObject({
      title: 'Light',
      type: 'string',
      enum: ['Desk Lamp'],
      value: '',
    });
    expect(lamp.properties.nextFire).toMatchObject({ type: 'string', readOnly: true, value: '' });
  });

  it('sends the chosen title to the engine as the thing’s id and keeps the id', async () => {
    const before = announcements();
    // Counted as the answer arrives: later messages of the same read are not seen yet.
    let announcedByTheAnswer = -1;
    const answered = peer.next((m) => {
      if (!propertyChanged(LAMP, 'light', 'Desk Lamp')(m)) return false;
      announcedByTheAnswer = announcements();
      return true;
    });
    setProperty(LAMP, 'light', 'Desk Lamp');
    await answered;
    // The engine's report of a grown drop-down came while this write waited: not announced yet.
    expect(announcedByTheAnswer).toBe(before);
    await journalHas(
      journalFile,
      (m) => m.type === 'setSetting' && m.name === 'light' && m.value === 'lamp-1'
    );
    const state = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'rule-things', 'state.json'), 'utf8')
    ) as { rules: Record<string, { settings?: Record<string, unknown> }> };
    expect(state.rules['lamp-timer'].settings).toEqual({ light: 'lamp-1' });
  });

  it('announces the grown drop-down once the write is answered, with the choice shown by title', async () => {
    const grown = device(
      await peer.waitFor(
        (m) =>
          deviceAdded(LAMP)(m) &&
          (device(m).properties.light.enum as string[]).includes('Floor Lamp')
      )
    );
    expect(grown.properties.light).toMatchObject({
      enum: ['Desk Lamp', 'Floor Lamp'],
      value: 'Desk Lamp',
    });
  });

  it('refuses a title that is not in the drop-down, keeping the choice', async () => {
    const answered = peer.next(propertyChanged(LAMP, 'light'));
    const status = peer.next(propertyChanged(LAMP, 'status'));
    setProperty(LAMP, 'light', 'Kitchen Lamp');
    const message = await answered;
    expect((message.data.property as { value: unknown }).value).toBe('Desk Lamp');
    expect(((await status).data.property as { value: string }).value).toBe(
      'Refused: Lamp Timer light "Kitchen Lamp" is not one of "Desk Lamp", "Floor Lamp"; it stays "Desk Lamp"'
    );
  });
});
