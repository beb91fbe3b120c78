/**
 * Issue 6, point 8: every writable RuleThing property refuses invalid values with a message that
 * names the field and its allowed form and keeps the old value, and the add-on's settings name a
 * bad latitude or time zone; all through the gateway-addon IPC on 127.0.0.1.
 */
import { dataDir, home, writeConfig } from '../addon/profile';
import fs from 'fs';
import path from 'path';
import { IpcMessage, MessageType } from '../addon/ipcPeer';
import { deviceAdded, errorNotice, journal, propertyChanged } from '../addon/harness';
import { usePeer } from '../addon/peerFixture';
import { TOKEN } from './stack';

const WAKE = 'rule-things-morning-wake';
const journalFile = path.join(home, 'people-journal.jsonl');

const { peer, load } = usePeer('all', { PEER_JOURNAL: journalFile });

beforeAll(async () => {
  await writeConfig({
    accessToken: TOKEN,
    latitude: 200,
    longitude: 13.4,
    timeZone: 'Mars/Olympus_Mons',
  });
  await load();
  await peer.waitFor(deviceAdded(WAKE));
});

const valueOf = (m: IpcMessage): unknown => (m.data.property as { value: unknown }).value;

test.each<[string, string, unknown, RegExp]>([
  ['alarmTime', '"25:99"', '25:99', /Morning Wake alarmTime "25:99" .*HH:MM.*it stays "06:30"/],
  ['alarmTime', '"6:3"', '6:3', /Morning Wake alarmTime "6:3" .*HH:MM.*it stays "06:30"/],
  ['alarmTime', '""', '', /Morning Wake alarmTime "" .*HH:MM.*it stays "06:30"/],
  [
    'alarmTime',
    '10,000 zeros',
    '0'.repeat(10_000),
    /Morning Wake alarmTime "0{10,80}.*HH:MM.*it stays "06:30"/,
  ],
  [
    'alarmTime',
    '630',
    630,
    /Morning Wake alarmTime 630 is not a time of day as HH:MM.*it stays "06:30"/,
  ],
  [
    'level',
    '150',
    150,
    /level 150 is above the maximum 100 \(allowed: a whole number from 0 to 100\)/,
  ],
  ['level', '"high"', 'high', /level "high" .*number.*it stays 100/],
  ['level', '2.5', 2.5, /level 2.5 .*whole number.*it stays 100/],
  ['enabled', '"yes"', 'yes', /enabled "yes" .*(true or false|boolean).*it stays true/],
])(
  'RuleThing %s = %s is refused, naming the field and its form, and the old value stays',
  async (name, _shown, value, message) => {
    const before = journal(journalFile).length;
    const kept = peer.next(propertyChanged(WAKE, name));
    peer.send(MessageType.DEVICE_SET_PROPERTY_COMMAND, {
      deviceId: WAKE,
      propertyName: name,
      propertyValue: value,
    });
    expect(valueOf(await kept)).toEqual({ alarmTime: '06:30', level: 100, enabled: true }[name]);
    const notice = await peer.waitFor(
      (m) => errorNotice(name)(m) && message.test(String(m.data.message))
    );
    // Short enough to read: a 10,000-character value is cut.
    expect(String(notice.data.message).length).toBeLessThan(500);
    // The engine never heard of it.
    expect(journal(journalFile).slice(before)).toEqual([]);
  }
);

test('a latitude of 200 and an unknown time zone are named with their allowed forms, and the add-on runs', async () => {
  await peer.waitFor(errorNotice('latitude 200 is not a number from -90 to 90'));
  await peer.waitFor(
    errorNotice('timeZone "Mars/Olympus_Mons" is not an IANA time zone (e.g. "Europe/Berlin"')
  );
  expect(fs.existsSync(path.join(dataDir, 'rule-things'))).toBe(true);
});
