/**
 * The standalone runner's RuleThings in a real gateway through the gateway's own "Web Thing"
 * add-on (thing-url-adapter), configured as a user would: the runner's URL with authentication
 * method "jwt" and the serve token. The gateway offers and adds them, switching `enabled` from
 * the gateway switches the rule in the runner, and without the token the runner answers 401.
 */
import fs from 'fs';
import path from 'path';
import WebSocket from 'ws';
import { RealClock } from '../src/clock';
import type { FromEngine } from '../src/engine/messages';
import { runStandalone, StandaloneRunner } from '../src/standalone/runStandalone';
import { Gateway, packAddon, preparedAddon, scenario, thingId, waitFor } from './harness';

const THING_URL_ADAPTER = 'thing-url-adapter';
const SERVE_TOKEN = 'runner-serve-token-for-the-gateway-suite-41c7';

let gw: Gateway;
let runner: StandaloneRunner | undefined;
const messages: FromEngine[] = [];

beforeAll(async () => {
  gw = await Gateway.start({ virtualThings: false, ruleThings: false });
  const addon = preparedAddon(
    gw.suite.sources,
    path.dirname(gw.suite.gatewayDir),
    THING_URL_ADAPTER
  );
  const tarball = packAddon(addon, gw.suite.runDir, THING_URL_ADAPTER);
  try {
    // Straight after the gateway's start: a kept-alive connection idle for the gateway's 5 s
    // keep-alive timeout can be closed under a POST, which fetch does not retry.
    const installed = await gw.installAddon(THING_URL_ADAPTER, tarball);
    if (installed.status !== 200) throw new Error(`POST /addons answered ${installed.status}`);
    await gw.waitForAdapter(THING_URL_ADAPTER);
  } catch (error) {
    const tail = gw.log().split('\n').slice(-40).join('\n');
    throw new Error(`installing ${THING_URL_ADAPTER}: ${(error as Error).message}\n${tail}`);
  }
  const dir = fs.mkdtempSync(path.join(gw.suite.runDir, 'runner-'));
  fs.mkdirSync(path.join(dir, 'rules'));
  fs.writeFileSync(
    path.join(dir, 'rules', 'tick.ts'),
    [
      "import { HeartBeat, Rule } from 'rule-things';",
      'export default class Tick extends Rule {',
      "  triggers() { return [new HeartBeat('1s')]; }",
      '  action() {}',
      '}',
      '',
    ].join('\n')
  );
  runner = await runStandalone({
    gatewayUrl: gw.base,
    token: gw.localToken,
    rulesFolder: path.join(dir, 'rules'),
    timeZone: 'Europe/Berlin',
    place: null,
    acceptSelfSigned: false,
    loopGuardRate: 600,
    stateFile: path.join(dir, 'state.json'),
    writeTypes: false,
    serve: { port: 0, host: '127.0.0.1', token: SERVE_TOKEN },
    clock: new RealClock('Europe/Berlin'),
    onMessage: (message) => messages.push(message),
  });
}, 300_000);

afterAll(async () => {
  await runner?.stop();
  await gw?.stop();
});

/** Settings → Add-ons → Web Thing → Configure: one URL, with or without the token. */
async function configureWebThing(authentication: Record<string, string>): Promise<void> {
  await gw.apiOk('PUT', `/addons/${THING_URL_ADAPTER}/config`, {
    config: { urls: [{ href: runner!.servedAt, authentication }], pollInterval: 5 },
  });
  await gw.waitForAdapter(THING_URL_ADAPTER);
}

const tickFirings = () =>
  messages.filter((m) => m.type === 'fired' && m.record.ruleId === 'tick').length;

describe("the runner's RuleThings through the gateway's Web Thing add-on", () => {
  it('answer 401 without the serve token, over HTTP and WebSocket', async () => {
    const answer = await fetch(`${runner!.servedAt}/tick/properties/enabled`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(answer.status).toBe(401);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${runner!.servedAt!.replace('http', 'ws')}/tick`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(401);
  });

  it('are not offered when the add-on is configured without the token', async () => {
    const mark = gw.logMark();
    await configureWebThing({ method: 'none' });
    // The add-on reads the runner's URL at its start; the 401's text is not a thing description.
    await waitFor(
      () => gw.logSince(mark).includes(`Failed to parse description at ${runner!.servedAt}`),
      30_000,
      'the Web Thing add-on to be refused'
    );
    const offered = await gw.newThings();
    expect(offered.map(thingId).filter((id) => id.includes('tick'))).toEqual([]);
  });

  it('are offered and added with the token, and switching enabled in the gateway switches the rule', async () => {
    await configureWebThing({ method: 'jwt', token: SERVE_TOKEN });
    const port = new URL(runner!.servedAt!).port;
    const id = `http---127.0.0.1-${port}-tick`;
    // The rule's id is in its URL, so the gateway's id for it survives restarts of the runner.
    const added = await waitFor(
      async () => {
        const ids = await gw.addNewThings((t) => thingId(t) === id);
        return ids.length > 0 ? ids : undefined;
      },
      60_000,
      'the gateway to offer the Tick RuleThing'
    );
    expect(added).toEqual([id]);
    expect(await gw.property(id, 'enabled')).toBe(true);
    await waitFor(() => tickFirings() >= 2, 20_000, 'Tick to fire');

    const switchedAt = Date.now();
    await gw.setProperty(id, 'enabled', false);
    await waitFor(
      () =>
        messages.some(
          (m) => m.type === 'ruleChanged' && m.rule.id === 'tick' && m.rule.enabled === false
        ),
      10_000,
      'the runner to switch Tick off'
    );
    const switchMs = Date.now() - switchedAt;
    const firedBefore = tickFirings();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(tickFirings()).toBe(firedBefore);
    expect(await gw.property(id, 'enabled')).toBe(false);

    await gw.setProperty(id, 'enabled', true);
    await waitFor(() => tickFirings() > firedBefore, 20_000, 'Tick to fire again');
    expect(await gw.property(id, 'enabled')).toBe(true);
    scenario('runner-web-thing', 'Web Thing add-on switches a runner rule', `${switchMs} ms`);
  });
});
