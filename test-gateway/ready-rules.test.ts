/**
 * Ready-made rules in the real gateway: a fresh install offers them with the Sun; a virtual light
 * is picked in Dusk to time's drop-down through the gateway's API; the rule then shows its next
 * firing at the coming civil dusk (suncalc's, computed independently of ours), a dry run shows
 * the light on at dusk and off at the set time, and removing the light leaves the rule off with a
 * status that says so. It also takes the README's picture of the drop-down on the thing page.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import puppeteer from 'puppeteer-core';
import * as SunCalc from 'suncalc';
import { Gateway, scenario, ThingDescription, thingId, waitFor } from './harness';

const ROOT = path.resolve(__dirname, '..');
const DUSK = 'rule-things-ready-dusk-to-time';
const READY = [
  'rule-things-ready-auto-off',
  'rule-things-ready-away-lights',
  'rule-things-ready-dusk-to-time',
  'rule-things-ready-follow',
  'rule-things-ready-motion-night-light',
  'rule-things-ready-wake-up-fade',
];
const LIGHT_TITLE = 'Virtual On/Off Light';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = path.join(ROOT, 'docs', 'gateway-thing-picker.png');

let gw: Gateway;
let lightId: string;

beforeAll(async () => {
  gw = await Gateway.start();
}, 240_000);
afterAll(() => gw?.stop());

interface PropertyDescription {
  enum?: string[];
  value?: unknown;
}

async function thingDescription(
  id: string
): Promise<ThingDescription & { properties: Record<string, PropertyDescription> }> {
  return gw.apiOk('GET', `/things/${id}`);
}

/** The coming civil dusk in Berlin after `now`, as suncalc computes it. */
function comingCivilDusk(now: Date): number {
  for (let day = 0; day < 3; day++) {
    const noon = new Date(now.getTime() + day * 86_400_000);
    const dusk = SunCalc.getTimes(noon, 52.52, 13.4).dusk!.getTime();
    if (dusk > now.getTime()) return dusk;
  }
  throw new Error('no civil dusk within three days');
}

describe('ready-made rules in the real gateway', () => {
  it('a fresh install offers the Sun and the six ready rules under "+", all off', async () => {
    const offered = await waitFor(
      async () => {
        const ids = (await gw.newThings()).map(thingId);
        return [...READY, 'rule-things-sun'].every((id) => ids.includes(id)) && ids;
      },
      60_000,
      'the ready rules under "+"'
    );
    expect(offered).toContain('rule-things-sun');
    expect(offered.filter((id) => id.startsWith('rule-things-ready-')).sort()).toEqual(READY);
    await gw.addNewThings((t) => thingId(t) === DUSK);
    expect(await gw.property(DUSK, 'enabled')).toBe(false);
    // Its settings are known once the engine has connected and built the rule.
    await waitFor(
      async () => (await gw.property(DUSK, 'status')) === 'choose a Light',
      60_000,
      'Dusk to time saying "choose a Light"'
    );
    scenario(
      '14.1',
      'fresh install offers',
      `${offered.length} things: Sun + ${READY.length} ready rules`
    );
  });

  it('picks a virtual light in Dusk to time’s drop-down and shows the next firing at civil dusk', async () => {
    const light = (await gw.things()).find((t) => t.title === LIGHT_TITLE)!;
    lightId = thingId(light);
    const description = await waitFor(
      async () => {
        const shown = await thingDescription(DUSK);
        return shown.properties.light?.enum && shown;
      },
      20_000,
      'the Light drop-down in Dusk to time’s description'
    );
    expect(description.properties.light.enum).toContain(LIGHT_TITLE);
    expect(description.properties.light.enum).not.toContain('Rule Things Sun');

    const started = Date.now();
    await gw.setProperty(DUSK, 'light', LIGHT_TITLE);
    const answeredMs = Date.now() - started;
    await gw.setProperty(DUSK, 'enabled', true);
    expect(await gw.property(DUSK, 'light')).toBe(LIGHT_TITLE);
    const timings: number[] = [];
    for (const [name, value] of [
      ['offTime', '23:00'],
      ['light', 'Virtual On/Off Color Light'],
      ['light', LIGHT_TITLE],
    ]) {
      const t0 = Date.now();
      await gw.setProperty(DUSK, name, value);
      timings.push(Date.now() - t0);
    }
    scenario('14.2b', 'write timings', timings.join(', '));

    const dusk = comingCivilDusk(new Date());
    const nextFire = await waitFor(
      async () => ((await gw.property(DUSK, 'nextFire')) as string) || undefined,
      20_000,
      'Dusk to time’s next firing'
    );
    expect(Math.abs(Date.parse(nextFire) - dusk)).toBeLessThan(2 * 60_000);
    expect(await gw.property(DUSK, 'status')).toBe('ok');

    // The Rule Things page shows the same rule, its light by title and its next firing.
    const page = await gw.apiOk<{
      rule: { nextFire: string; settings: { name: string; value: unknown }[] };
    }>('GET', '/extensions/rule-things/api/rules/ready-dusk-to-time');
    expect(page.rule.nextFire).toBe(nextFire);
    expect(page.rule.settings.find((s) => s.name === 'light')?.value).toBe(LIGHT_TITLE);

    // The choice is kept as the light's id, so renaming the light keeps it.
    const state = JSON.parse(fs.readFileSync(path.join(gw.dataDir, 'state.json'), 'utf8'));
    expect(state.rules['ready-dusk-to-time'].settings.light).toBe(lightId);
    scenario(
      '14.2',
      'light picked, next firing at civil dusk',
      `write answered in ${answeredMs} ms, ${nextFire}`
    );
  });

  it('a dry run shows the light on at dusk and off at the set time', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const out = execFileSync(
      process.execPath,
      [
        '-r',
        'sucrase/register',
        path.join(ROOT, 'src', 'cli.ts'),
        'simulate',
        path.join(gw.addonDir, 'ready-rules', 'dusk-to-time.ts'),
        '--gateway',
        gw.base,
        '--from',
        `${today}T12:00`,
        '--days',
        '1',
        '--tz',
        'Europe/Berlin',
        '--lat',
        '52.52',
        '--lon',
        '13.4',
        '--all',
        '--set',
        `light=${LIGHT_TITLE}`,
        '--json',
      ],
      // The token in the environment: a failing command's message quotes its command line.
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, RULE_THINGS_TOKEN: gw.localToken } }
    );
    const run = JSON.parse(out) as { entries: { at: string; kind: string; text: string }[] };
    const sets = run.entries.filter((e) => e.kind === 'set');
    expect(sets.map((e) => e.text)).toEqual([
      `${LIGHT_TITLE} on: false → true`,
      `${LIGHT_TITLE} on: true → false`,
    ]);
    const dusk = comingCivilDusk(new Date(`${today}T10:00:00Z`));
    expect(Math.abs(Date.parse(sets[0].at) - dusk)).toBeLessThan(2 * 60_000);
    expect(sets[1].at).toMatch(/T23:00:00\.000\+0[12]:00$/);
    expect(out).not.toContain(gw.localToken);
    scenario('14.3', 'simulate against the gateway', `on ${sets[0].at}, off ${sets[1].at}`);
  });

  it('takes the picture of the drop-down on the gateway’s own thing page', async () => {
    if (!fs.existsSync(CHROMIUM)) {
      scenario('14.4', 'thing page screenshot', `skipped: no Chromium at ${CHROMIUM}`);
      return;
    }
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 900, height: 700 });
      // Signed in as the gateway's UI keeps it: the user's token in localStorage.
      await page.evaluateOnNewDocument((jwt: string) => localStorage.setItem('jwt', jwt), gw.jwt);
      await page.goto(`${gw.base}/things/${DUSK}`);
      await page.waitForSelector('webthing-enum-property', { timeout: 30_000 });
      const choice = await page.$eval(
        'webthing-enum-property',
        (el) => (el.shadowRoot?.querySelector('select') as HTMLSelectElement | null)?.value
      );
      expect(choice).toBe(LIGHT_TITLE);
      const file =
        process.env.UPDATE_SCREENSHOT === '1'
          ? SCREENSHOT
          : path.join(gw.suite.runDir, 'picker.png');
      await page.screenshot({ path: file });
      scenario('14.4', 'thing page screenshot', path.relative(ROOT, file));
    } finally {
      await browser.close();
    }
  });

  it('removing the picked light leaves the rule off, with a status that says so', async () => {
    await gw.apiOk('DELETE', `/things/${lightId}`);
    const status = await waitFor(
      async () => {
        const shown = (await gw.property(DUSK, 'status')) as string;
        return shown.startsWith('choose a Light') && shown;
      },
      20_000,
      'Dusk to time’s status after the light was removed'
    );
    expect(status).toBe(`choose a Light: "${LIGHT_TITLE}", chosen before, is not in the gateway`);
    expect(await gw.property(DUSK, 'nextFire')).toBe('');
    const description = await thingDescription(DUSK);
    expect(description.properties.light.enum).not.toContain(LIGHT_TITLE);
    scenario('14.5', 'picked light removed', status);
  });
});
