/**
 * The Rule Things page in a real headless Chromium: a small server on 127.0.0.1 plays the
 * gateway's part (a host page with stubs of window.Extension and window.API, the page's files
 * served as web_accessible_resources, /extensions/rule-things/api/* passed to the add-on's API
 * handler over the gateway-addon IPC), and behind it runs the add-on with its real engine over
 * the simulated home with the example rules. It takes the README's screenshot.
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { dataDir, home, removeHome } from '../profile';
import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import { DateTime } from 'luxon';
import path from 'path';
import puppeteer, { Browser, Page } from 'puppeteer-core';
import { seedHome, SimulatorServer } from '../../../src/simulator';
import { deviceAdded, loadAddonWithEngine, Loaded, unloadAddon } from '../harness';
import { IpcPeer, MessageType } from '../ipcPeer';

jest.setTimeout(30_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
const ROOT = path.resolve(__dirname, '../../..');
/** The README's picture; rewritten only on request, so a test run leaves the work tree clean. */
const README_SCREENSHOT = path.join(ROOT, 'docs', 'rule-things-page.png');
const UPDATE_SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1';
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJyb2xlIjoidXNlcl90b2tlbiJ9.cGFnZS10ZXN0LXRva2Vu';
const rulesFolder = path.join(home, 'page-rules');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));

/** What the gateway's App and API give an extension, reduced to what the page uses. */
const HOST_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rule Things page test</title>
<style>html { font-size: 10px; font-family: 'Open Sans', sans-serif; } body { margin: 0; }
section { display: none; } section.selected { display: block; }
#menu { display: none; }</style>
<script>
  window.API = {
    jwt: 'page-test-jwt',
    headers(contentType) {
      const headers = { Accept: 'application/json', Authorization: 'Bearer ' + this.jwt };
      if (contentType) headers['Content-Type'] = contentType;
      return headers;
    },
  };
  window.Extension = class Extension {
    constructor(id) {
      this.id = id;
      this.view = document.createElement('section');
      this.view.id = 'extension-' + id + '-view';
      document.body.appendChild(this.view);
      window.registeredExtension = this;
    }
    addMenuEntry(name) {
      const link = document.createElement('a');
      link.id = 'extension-' + this.id + '-menu-item';
      link.textContent = name;
      document.getElementById('menu').appendChild(link);
    }
    load() { return Promise.resolve(); }
    show() {}
    hide() {}
  };
  // As the gateway's App does for each extension of GET /extensions.
  window.addEventListener('DOMContentLoaded', () => {
    for (const script of ${JSON.stringify(manifest.content_scripts)}) {
      for (const css of script.css || []) {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = '/extensions/rule-things/' + css;
        document.head.appendChild(link);
      }
      for (const js of script.js || []) {
        const tag = document.createElement('script');
        tag.src = '/extensions/rule-things/' + js;
        document.head.appendChild(tag);
      }
    }
  });
</script></head>
<body><nav id="menu"></nav></body></html>`;

let peer: IpcPeer;
let simulator: SimulatorServer;
let loaded: Loaded | undefined;
let server: http.Server;
let origin: string;
let browser: Browser | undefined;
let page: Page;
const apiCalls: string[] = [];

/** The gateway's extensions controller: static files if listed as web_accessible_resources, API calls over IPC. */
async function serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', origin);
  if (url.pathname === '/') {
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(HOST_PAGE);
    return;
  }
  const api = /^\/extensions\/rule-things\/api(\/.*)$/.exec(url.pathname);
  if (api) {
    if (request.headers.authorization !== 'Bearer page-test-jwt') {
      response.writeHead(401).end();
      return;
    }
    let text = '';
    for await (const chunk of request) text += chunk;
    apiCalls.push(`${request.method} ${api[1]}`);
    const answer = await peer.apiRequest(
      request.method ?? 'GET',
      api[1],
      text ? JSON.parse(text) : {},
      Object.fromEntries(url.searchParams)
    );
    response.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'text/plain' });
    response.end(answer.content ?? '');
    return;
  }
  const file = /^\/extensions\/rule-things\/(.+)$/.exec(url.pathname)?.[1];
  const listed = (manifest.web_accessible_resources as string[]).some((glob) =>
    new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(
      file ?? ''
    )
  );
  if (!file || !listed || file.includes('..')) {
    response.writeHead(404).end();
    return;
  }
  const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
  response.writeHead(200, { 'Content-Type': type }).end(fs.readFileSync(path.join(ROOT, file)));
}

const maybe = HAS_CHROMIUM ? describe : describe.skip;
if (!HAS_CHROMIUM) {
  console.warn(
    `The Rule Things page test is skipped: no Chromium at ${CHROMIUM}. Install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`
  );
}

maybe('the Rule Things page in headless Chromium', () => {
  beforeAll(async () => {
    peer = new IpcPeer({ dataDir, baseDir: home });
    const port = await peer.listen();
    simulator = new SimulatorServer({ token: TOKEN, home: seedHome() });
    await simulator.start();
    fs.mkdirSync(rulesFolder, { recursive: true });
    // The examples that act on their own: the morning alarms, dusk, motion, the kettle button.
    for (const file of [
      'morning-wake.ts',
      'porch-light.ts',
      'motion-night-light.ts',
      'button-kettle.ts',
    ]) {
      fs.copyFileSync(path.join(ROOT, 'examples', file), path.join(rulesFolder, file));
    }
    loaded = await loadAddonWithEngine(peer, port, {
      gatewayUrl: simulator.url,
      token: TOKEN,
      rulesFolder,
    });
    await peer.waitFor((m) => m.messageType === MessageType.API_HANDLER_ADDED_NOTIFICATION);
    await peer.waitFor(deviceAdded('rule-things-porch-light'), 20_000);

    server = http.createServer((request, response) => {
      serve(request, response).catch((error: Error) => {
        response.writeHead(500).end(error.message);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: fs.mkdtempSync(path.join(home, 'chromium-')),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage();
    // A phone-sized screen: the page must work there.
    await page.setViewport({ width: 412, height: 1400, deviceScaleFactor: 1 });
    await page.goto(origin, { waitUntil: 'load' });
    await page.waitForFunction(() => 'registeredExtension' in window);
    await page.evaluate(() => {
      const extension = (
        window as unknown as { registeredExtension: { view: HTMLElement; show(): void } }
      ).registeredExtension;
      extension.view.classList.add('selected');
      extension.show();
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (loaded) await unloadAddon(peer, loaded);
    await simulator?.stop();
    await peer?.close();
    removeHome();
  });

  /** Waits until the page's rule list shows every rule of the folder, started by the engine. */
  async function rulesShown(): Promise<void> {
    await page.waitForFunction(
      () => {
        const cards = document.querySelectorAll('.rt-card');
        return cards.length >= 6 && [...cards].every((c) => !c.textContent?.includes('waiting'));
      },
      { timeout: 20_000 }
    );
  }

  it('adds "Rule Things" to the menu and lists each rule as a sentence with its switch and status', async () => {
    expect(await page.$eval('#extension-rule-things-menu-item', (a) => a.textContent)).toBe(
      'Rule Things'
    );
    await rulesShown();
    const fade = await page.$eval('[data-rule="morning-wake-morning-fade-wake"]', (card) => ({
      title: card.querySelector('.rt-rule-title')?.textContent,
      sentence: card.querySelector('.rt-sentence')?.textContent,
      enabled: (card.querySelector('.rt-switch-input') as HTMLInputElement).checked,
      settings: [...card.querySelectorAll('.rt-field label')].map((l) => l.textContent),
    }));
    expect(fade).toEqual({
      title: 'Morning Fade Wake',
      sentence:
        '20 minutes before 06:30 on weekdays or 20 minutes before 07:30 on weekends, fade Bedside Ikea Light from off to full over 20 minutes',
      enabled: true,
      settings: ['Alarm time (light full)', 'Weekend alarm time (light full)', 'Fade duration'],
    });
    expect(apiCalls).toContain('GET /rules');
  });

  it('refuses a bad alarm time under the field, with the allowed form, and takes a good one', async () => {
    const input = '#rt-morning-wake-morning-fade-wake-alarmTime';
    await page.$eval(input, (el) => ((el as HTMLInputElement).value = ''));
    await page.type(input, '25:99');
    await page.$eval(input, (el) => el.dispatchEvent(new Event('change')));
    await page.waitForFunction(
      (selector: string) =>
        document.querySelector(selector)?.parentElement?.querySelector('.rt-field-error')
          ?.textContent,
      {},
      input
    );
    const message = await page.$eval(
      input,
      (el) => el.parentElement?.querySelector('.rt-field-error')?.textContent
    );
    expect(message).toContain('alarmTime "25:99" is not a time of day');

    await page.$eval(input, (el) => ((el as HTMLInputElement).value = ''));
    await page.type(input, '06:20');
    await page.$eval(input, (el) => el.dispatchEvent(new Event('change')));
    await page.waitForFunction(
      (selector: string) => document.querySelector(selector)?.classList.contains('rt-saved'),
      {},
      input
    );
  });

  it('offers a ready rule’s thing as a drop-down, and takes the choice', async () => {
    const select = '#rt-ready-dusk-to-time-light';
    await page.waitForSelector(select, { timeout: 20_000 });
    const options = await page.$$eval(`${select} option`, (list) =>
      list.map((o) => [(o as HTMLOptionElement).value, (o as HTMLOptionElement).disabled])
    );
    // Not chosen yet: a hint first, then every thing with an "on" property by title.
    expect(options[0]).toEqual(['', true]);
    expect(options.map(([value]) => value)).toContain('Porch Light');
    expect(options.map(([value]) => value)).not.toContain('Motion Sensor');
    await page.select(select, 'Porch Light');
    await page.waitForFunction(
      (selector: string) => document.querySelector(selector)?.classList.contains('rt-saved'),
      { timeout: 10_000 },
      select
    );
    expect(apiCalls).toContain('PUT /rules/ready-dusk-to-time/settings/light');
    const { rule } = JSON.parse(
      (await peer.apiRequest('GET', '/rules/ready-dusk-to-time')).content ?? '{}'
    );
    expect(rule.settings[0]).toMatchObject({ name: 'light', value: 'Porch Light' });
  });

  it('switches a rule on from its switch (Morning Wake starts off)', async () => {
    const card = '[data-rule="morning-wake"]';
    expect(await page.$eval(card, (c) => c.classList.contains('rt-off'))).toBe(true);
    await page.click(`${card} .rt-switch-input`);
    await page.waitForFunction(
      (selector: string) => !document.querySelector(selector)?.classList.contains('rt-off'),
      { timeout: 10_000 },
      card
    );
    expect(apiCalls).toContain('PUT /rules/morning-wake/enabled');
  });

  it('shows the week ahead as seven days with sunrise, sunset and the rules that fire', async () => {
    await page.click('[data-tab="week"]');
    await page.waitForSelector('.rt-day', { timeout: 10_000 });
    const days = await page.$$eval('.rt-day', (rows) =>
      rows.map((row) => ({
        sun: row.querySelectorAll('.rt-sun-mark').length,
        lines: [...row.querySelectorAll('.rt-rule-line')].map((l) => l.textContent),
      }))
    );
    expect(days).toHaveLength(7);
    expect(days.reduce((n, d) => n + d.sun, 0)).toBeGreaterThanOrEqual(12);
    const lines = days.flatMap((d) => d.lines);
    expect(lines.some((l) => l?.includes('Porch Light — at civil dusk'))).toBe(true);
    expect(
      lines.some((l) => l?.includes('Morning Fade Wake — 20 minutes before 06:20 on weekdays'))
    ).toBe(true);
    // Seven day rows from today: today's 06:30 is among them only while it is still to come.
    const berlin = DateTime.now().setZone('Europe/Berlin');
    const dailyAlarms = berlin < berlin.set({ hour: 6, minute: 30, second: 0 }) ? 7 : 6;
    expect(lines.filter((l) => l?.includes('Morning Wake — at 06:30 every day'))).toHaveLength(
      dailyAlarms
    );
    // Weekday Weekend Wake is still off: it is not in the week ahead.
    expect(lines.some((l) => l?.includes('Weekday Weekend Wake'))).toBe(false);
  });

  it('writes a new rule from a template, which appears as a rule of its own', async () => {
    await page.click('[data-tab="new"]');
    await page.waitForSelector('#rt-new-template');
    await page.select('#rt-new-template', 'alarm');
    await page.type('#rt-new-name', 'Kettle at seven');
    await page.click('.rt-new button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('.rt-result.rt-ok')?.textContent, {
      timeout: 10_000,
    });
    expect(fs.existsSync(path.join(rulesFolder, 'kettle-at-seven.ts'))).toBe(true);
    await peer.waitFor(deviceAdded('rule-things-kettle-at-seven'), 20_000);

    await page.click('.rt-new button[type="submit"]');
    await page.waitForFunction(
      () => document.querySelector('#rt-new-name')?.classList.contains('rt-bad'),
      { timeout: 10_000 }
    );
  });

  it('writes a rule whose name is in another language, as this.things names are', async () => {
    await page.click('[data-tab="new"]');
    await page.waitForSelector('#rt-new-template');
    await page.select('#rt-new-template', 'alarm');
    await page.$eval('#rt-new-name', (input) => ((input as HTMLInputElement).value = ''));
    await page.type('#rt-new-name', 'Küchenlicht');
    await page.click('.rt-new button[type="submit"]');
    await page.waitForFunction(
      () => document.querySelector('.rt-result.rt-ok')?.textContent?.includes('küchenlicht.ts'),
      { timeout: 10_000 }
    );
    expect(fs.existsSync(path.join(rulesFolder, 'küchenlicht.ts'))).toBe(true);
    await peer.waitFor(deviceAdded('rule-things-kuchenlicht'), 20_000);
  });

  it('lists what happened in the history', async () => {
    simulator.home.press('Button 1');
    // The firing crosses the engine thread and the IPC; the page shows what the add-on has.
    for (let tries = 0; tries < 50; tries++) {
      const history = await peer.apiRequest('GET', '/history');
      if (history.content?.includes('Button Kettle')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await page.click('[data-tab="history"]');
    await page.waitForSelector('.rt-entry.rt-fired', { timeout: 10_000 });
    const fired = await page.$$eval('.rt-entry.rt-fired', (entries) =>
      entries.map((e) => e.textContent ?? '')
    );
    expect(fired.some((text) => text.includes('Button Kettle') && text.includes('Kettle on'))).toBe(
      true
    );
  });

  it('takes a screenshot of the rule list (the README one with UPDATE_SCREENSHOT=1)', async () => {
    await page.click('[data-tab="rules"]');
    await rulesShown();
    const file = UPDATE_SCREENSHOT ? README_SCREENSHOT : path.join(home, 'rule-things-page.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: true });
    const png = fs.readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  });
});
