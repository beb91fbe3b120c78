/**
 * The Rule Things page's API, asked as the gateway asks it (apiHandler messages over the
 * gateway-addon IPC on 127.0.0.1), with a protocol-peer worker in place of the engine; every
 * IPC message is checked against gateway-addon's schemas.
 */
import { dataDir, home, writeConfig } from '../profile';
import fs from 'fs';
import path from 'path';
import { ApiResponse, MessageType } from '../ipcPeer';
import { deviceAdded, journal, journalHas, propertyChanged } from '../harness';
import { usePeer } from '../peerFixture';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJyb2xlIjoidXNlcl90b2tlbiJ9.c2lnbmF0dXJlLW5vdC1yZWFs';
const WAKE = 'rule-things-morning-wake';
const addonData = path.join(dataDir, 'rule-things');
const rulesFolder = path.join(addonData, 'rules');
const journalFile = path.join(home, 'api-journal.jsonl');

const { peer, load, unload } = usePeer('each', { PEER_JOURNAL: journalFile });

beforeEach(async () => {
  fs.rmSync(addonData, { recursive: true, force: true });
  fs.rmSync(journalFile, { force: true });
  peer.clear();
  await writeConfig({ accessToken: TOKEN, latitude: 52.52, longitude: 13.4, timeZone: 'UTC' });
  await load();
  await peer.waitFor(deviceAdded(WAKE));
  await peer.waitFor((m) => m.messageType === MessageType.API_HANDLER_ADDED_NOTIFICATION);
});

/** The response with its JSON body parsed. */
async function ask(
  method: string,
  requestPath: string,
  body: Record<string, unknown> = {},
  query: Record<string, unknown> = {}
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, checked by the expectations
): Promise<{ status: number; body: Record<string, any> }> {
  const response: ApiResponse = await peer.apiRequest(method, requestPath, body, query);
  expect(response.contentType).toBe('application/json');
  return { status: response.status, body: JSON.parse(response.content ?? 'null') };
}

describe('the Rule Things API', () => {
  it('registers as the API handler of the package rule-things', async () => {
    const added = peer.all(MessageType.API_HANDLER_ADDED_NOTIFICATION);
    expect(added.map((m) => m.data.packageName)).toEqual(['rule-things']);
  });

  it('lists every rule with its sentence, settings, status and times, and the zone', async () => {
    const { status, body } = await ask('GET', '/rules');
    expect(status).toBe(200);
    expect(body.zone).toBe('UTC');
    expect(body.rules.map((r: { id: string }) => r.id)).toEqual([
      'morning-wake',
      'porch-light',
      'blocker',
    ]);
    expect(body.rules[0]).toMatchObject({
      title: 'Morning Wake',
      description: expect.any(String),
      enabled: true,
      status: 'ok',
      lastFired: null,
      nextFire: null,
    });
    expect(body.rules[0].settings.map((s: { name: string }) => s.name)).toEqual([
      'alarmTime',
      'level',
    ]);
  });

  it('switches a rule off through its RuleThing, so the engine and the gateway UI both hear of it', async () => {
    const changed = peer.next(propertyChanged(WAKE, 'enabled', false));
    const { status, body } = await ask('PUT', '/rules/morning-wake/enabled', { enabled: false });
    expect(status).toBe(200);
    expect(body.rule.enabled).toBe(false);
    await changed;
    await journalHas(journalFile, (e) => e.type === 'setEnabled' && e.enabled === false);
  });

  it('refuses enabled "yes" naming the field and the allowed form', async () => {
    const { status, body } = await ask('PUT', '/rules/morning-wake/enabled', { enabled: 'yes' });
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'Refused: Morning Wake enabled "yes" is not true or false; it stays true',
      field: 'enabled',
    });
  });

  it('sets alarmTime "07:15", which the engine takes and the add-on keeps', async () => {
    const changed = peer.next(propertyChanged(WAKE, 'alarmTime', '07:15'));
    const { status, body } = await ask('PUT', '/rules/morning-wake/settings/alarmTime', {
      value: '07:15',
    });
    expect(status).toBe(200);
    expect(body.rule.settings[0]).toMatchObject({ name: 'alarmTime', value: '07:15' });
    await changed;
    const saved = JSON.parse(fs.readFileSync(path.join(addonData, 'state.json'), 'utf8'));
    expect(saved.rules['morning-wake'].settings).toEqual({ alarmTime: '07:15' });
  });

  it('refuses alarmTime "25:99" as the RuleThing does, naming the field and the form, and sends nothing', async () => {
    const { status, body } = await ask('PUT', '/rules/morning-wake/settings/alarmTime', {
      value: '25:99',
    });
    expect(status).toBe(400);
    expect(body.field).toBe('alarmTime');
    expect(body.error).toBe(
      'Refused: Morning Wake alarmTime "25:99" is not a time of day as HH:MM or HH:MM:SS, 00:00 to 23:59:59; it stays "06:30"'
    );
    expect(journal(journalFile).some((e) => e.type === 'setSetting')).toBe(false);
  });

  it('refuses a level above its maximum with the allowed range', async () => {
    const { status, body } = await ask('PUT', '/rules/morning-wake/settings/level', {
      value: 150,
    });
    expect(status).toBe(400);
    expect(body.error).toContain(
      'level 150 is above the maximum 100 (allowed: a whole number from 0 to 100)'
    );
  });

  it('answers 404 for an unknown setting or rule, naming what there is', async () => {
    const setting = await ask('PUT', '/rules/morning-wake/settings/status', { value: 'x' });
    expect(setting.status).toBe(404);
    expect(setting.body.error).toBe(
      'Morning Wake has no setting "status" (settings: alarmTime, level)'
    );
    const rule = await ask('GET', '/rules/nope');
    expect(rule).toEqual({ status: 404, body: { error: 'There is no rule "nope"' } });
  });

  it('answers 405 for a wrong method and 404 for an unknown path', async () => {
    expect((await ask('DELETE', '/rules/morning-wake/enabled')).status).toBe(405);
    expect((await ask('GET', '/nothing/here')).body).toEqual({
      error: 'Rule Things has no /nothing/here',
    });
  });

  it("gives the engine's week ahead in the configured zone, and checks days", async () => {
    const { status, body } = await ask('GET', '/week-ahead', {}, { days: '3' });
    expect(status).toBe(200);
    expect(body.zone).toBe('UTC');
    const rules = body.occurrences.filter((o: { kind: string }) => o.kind === 'rule');
    expect(rules.length).toBeGreaterThanOrEqual(2);
    expect(rules[0]).toMatchObject({ ruleId: 'morning-wake', trigger: 'at 06:30 every day' });
    expect(body.occurrences.some((o: { title: string }) => o.title === 'sunset')).toBe(true);
    await journalHas(journalFile, (e) => e.type === 'preview' && e.days === 3);

    const bad = await ask('GET', '/week-ahead', {}, { days: '90' });
    expect(bad).toEqual({
      status: 400,
      body: { error: 'days "90" is not a whole number from 1 to 31', field: 'days' },
    });
  });

  it('keeps firings and refusals in the history, newest first, and on disk after unload', async () => {
    expect((await ask('POST', '/rules/porch-light/run')).status).toBe(202);
    await peer.waitFor(propertyChanged('rule-things-porch-light', 'lastFired'));
    await ask('PUT', '/rules/morning-wake/settings/alarmTime', { value: '25:99' });
    const { body } = await ask('GET', '/history');
    expect(body.entries[0]).toMatchObject({
      kind: 'error',
      ruleId: null,
      message: expect.stringContaining('alarmTime "25:99"'),
    });
    expect(body.entries[1]).toMatchObject({
      kind: 'fired',
      ruleId: 'porch-light',
      title: 'Porch Light',
      trigger: 'run from the gateway',
    });
    await unload();
    const file = JSON.parse(fs.readFileSync(path.join(addonData, 'history.json'), 'utf8'));
    expect(file.entries.map((e: { kind: string }) => e.kind)).toContain('fired');
  });

  it('lists the templates for the new-rule form', async () => {
    const { body } = await ask('GET', '/templates');
    expect(body.templates.map((t: { id: string }) => t.id)).toEqual([
      'if-while',
      'alarm',
      'dusk-to-time',
      'scene',
    ]);
  });

  it('writes a new rule file from a template, never over an existing one', async () => {
    const created = await ask('POST', '/rules', {
      template: 'alarm',
      name: 'Hall light',
      fields: { time: '07:05', days: 'daily', property: 'on' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      file: 'hall-light.ts',
      className: 'HallLightRule',
      ruleId: 'hall-light',
    });
    const text = fs.readFileSync(path.join(rulesFolder, 'hall-light.ts'), 'utf8');
    expect(text).toContain('this.setting(\'alarmTime\', "07:05"');

    const again = await ask('POST', '/rules', { template: 'alarm', name: 'Hall-Light' });
    expect(again.status).toBe(409);
    expect(again.body.field).toBe('name');
    expect(fs.readFileSync(path.join(rulesFolder, 'hall-light.ts'), 'utf8')).toBe(text);
  });

  it('refuses a bad name or field of a new rule, naming it and its allowed form', async () => {
    const name = await ask('POST', '/rules', { template: 'alarm', name: '../etc/passwd' });
    expect(name).toEqual({
      status: 400,
      body: {
        error:
          'name "../etc/passwd" is not 1 to 60 letters, digits, spaces, "-" or "_", starting with a letter',
        field: 'name',
      },
    });
    const time = await ask('POST', '/rules', {
      template: 'alarm',
      name: 'Wake',
      fields: { time: '7 am' },
    });
    expect(time.body).toEqual({
      error: 'time "7 am" is not a time of day as HH:MM, 00:00 to 23:59',
      field: 'time',
    });
    const template = await ask('POST', '/rules', { template: 'sprinkler', name: 'Garden' });
    expect(template.body.field).toBe('template');
    expect(fs.existsSync(path.join(rulesFolder, 'wake.ts'))).toBe(false);
  });
});
