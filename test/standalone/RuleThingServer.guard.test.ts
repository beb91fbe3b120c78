/**
 * The attacks on the runner's served RuleThings fail: a request without the serve token, with a
 * wrong one, with a foreign Host (DNS rebinding) or from a web page of another origin changes
 * nothing, over HTTP and over the WebSocket; the gateway's Web Thing add-on (token in the
 * Authorization header, or `?jwt=` on its socket) gets in.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import http from 'http';
import https from 'https';
import os from 'os';
import path from 'path';
import WebSocket from 'ws';
import type { RuleInfo } from '../../src/engine/messages';
import { isLoopback } from '../../src/standalone/RequestGuard';
import { RuleThingServer } from '../../src/standalone/RuleThingServer';

const TOKEN = 'serve-token-for-the-guard-test-8c2b4f';

const WAKE: RuleInfo = {
  id: 'morning-wake',
  name: 'MorningWakeRule',
  title: 'Morning Wake',
  file: 'morning-wake.ts',
  description: 'At 06:30 on weekdays, turn Bedside Ikea Light on',
  kind: 'if',
  settings: [],
  enabled: true,
  active: false,
  lastFired: null,
  nextFire: null,
  status: 'ok',
};

let server: RuleThingServer;
let port: number;
const calls: string[] = [];

beforeEach(async () => {
  calls.length = 0;
  server = new RuleThingServer({
    setEnabled: (ruleId, enabled) => calls.push(`${ruleId} enabled ${enabled}`),
    setSetting: async () => undefined,
    run: (ruleId) => calls.push(`${ruleId} run`),
  });
  port = await server.start({
    port: 0,
    host: '127.0.0.1',
    token: TOKEN,
    allowHosts: ['rules.example.lan'],
  });
  server.showRules([WAKE]);
});

afterEach(() => server.stop());

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with exactly these headers (node-fetch would set Host itself). */
function request(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { Accept: 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text })
        );
      }
    );
    req.on('error', reject);
    if (body !== undefined) {
      req.setHeader('Content-Type', 'application/json');
      req.end(JSON.stringify(body));
    } else req.end();
  });
}

const bearer = { Authorization: `Bearer ${TOKEN}` };
const own = () => ({ Host: `127.0.0.1:${port}` });
const switchOff = (headers: Record<string, string>) =>
  request('PUT', '/morning-wake/properties/enabled', headers, { enabled: false });

async function enabledNow(): Promise<unknown> {
  const answer = await request('GET', '/morning-wake/properties/enabled', { ...own(), ...bearer });
  return JSON.parse(answer.body).enabled;
}

describe('the served RuleThings over HTTP', () => {
  it('answer the token holder, by address, by localhost and by an --allow-host name', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `rules.example.lan:${port}`]) {
      expect((await request('GET', '/', { Host: host, ...bearer })).status).toBe(200);
    }
    expect((await switchOff({ ...own(), ...bearer })).status).toBe(200);
    expect(calls).toEqual(['morning-wake enabled false']);
  });

  it('refuse a request without the token with 401, and change nothing', async () => {
    const answer = await switchOff(own());
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
    expect((await request('GET', '/', own())).status).toBe(401);
    const run = await request('POST', '/morning-wake/actions', own(), { run: {} });
    expect(run.status).toBe(401);
    expect(calls).toEqual([]);
    expect(await enabledNow()).toBe(true);
  });

  it('refuse a wrong token, and a token given in the query', async () => {
    expect((await switchOff({ ...own(), Authorization: 'Bearer not-the-token' })).status).toBe(401);
    const query = await request('PUT', `/morning-wake/properties/enabled?jwt=${TOKEN}`, own(), {
      enabled: false,
    });
    expect(query.status).toBe(401);
    expect(calls).toEqual([]);
  });

  it('refuse a foreign Host even with the token (DNS rebinding)', async () => {
    const answer = await switchOff({ Host: `attacker.example:${port}`, ...bearer });
    expect(answer.status).toBe(403);
    expect((await request('GET', '/', { Host: 'attacker.example', ...bearer })).status).toBe(403);
    expect(calls).toEqual([]);
    expect(await enabledNow()).toBe(true);
  });

  it('refuse a web page of another origin even with the token, and allow no origin by CORS', async () => {
    const answer = await switchOff({ ...own(), Origin: 'http://attacker.example', ...bearer });
    expect(answer.status).toBe(403);
    const preflight = await request('OPTIONS', '/morning-wake/properties/enabled', {
      ...own(),
      Origin: 'http://attacker.example',
      'Access-Control-Request-Method': 'PUT',
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await request('GET', '/', { ...own(), ...bearer });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBeUndefined();
    expect(calls).toEqual([]);
  });
});

/** Opens a socket to the Morning Wake thing; resolves with it open, or rejects with the refusal. */
function openSocket(
  options: { path?: string; headers?: Record<string, string>; origin?: string } = {}
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/morning-wake'}`, {
      headers: options.headers,
      origin: options.origin,
    });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

/** Sends setProperty for enabled, then waits for the thing's propertyStatus answer. */
async function switchOver(ws: WebSocket, enabled: boolean): Promise<void> {
  ws.send(JSON.stringify({ messageType: 'setProperty', data: { enabled } }));
  await new Promise((resolve) => ws.once('message', resolve));
  ws.close();
}

describe('the served RuleThings over the WebSocket', () => {
  it('switch a rule for the token holder (Authorization header, or ?jwt= as the Web Thing add-on sends)', async () => {
    await switchOver(await openSocket({ headers: bearer }), false);
    await switchOver(await openSocket({ path: `/morning-wake?jwt=${TOKEN}` }), true);
    expect(calls).toEqual(['morning-wake enabled false', 'morning-wake enabled true']);
  });

  it('refuse the upgrade without the token, with a wrong one, from a foreign Host or Origin', async () => {
    await expect(openSocket()).rejects.toThrow('HTTP 401');
    await expect(openSocket({ path: '/morning-wake?jwt=wrong-token' })).rejects.toThrow('HTTP 401');
    await expect(
      openSocket({ headers: { ...bearer, Host: `attacker.example:${port}` } })
    ).rejects.toThrow('HTTP 403');
    await expect(
      openSocket({ headers: bearer, origin: 'http://attacker.example' })
    ).rejects.toThrow('HTTP 403');
    expect(calls).toEqual([]);
    expect(await enabledNow()).toBe(true);
  });
});

describe('the served RuleThings over TLS', () => {
  it('serve https and wss with --tls-cert and --tls-key, with the same checks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-tls-'));
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' }
    );
    const secure = new RuleThingServer({
      setEnabled: (ruleId, enabled) => calls.push(`${ruleId} enabled ${enabled}`),
      setSetting: async () => undefined,
      run: () => undefined,
    });
    const tlsPort = await secure.start({
      port: 0,
      host: '127.0.0.1',
      token: TOKEN,
      tls: { cert: fs.readFileSync(cert), key: fs.readFileSync(key) },
    });
    secure.showRules([WAKE]);
    const statusOf = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        https
          .get(
            { host: '127.0.0.1', port: tlsPort, path: '/', headers, rejectUnauthorized: false },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            }
          )
          .on('error', reject);
      });
    try {
      expect(await statusOf(bearer)).toBe(200);
      expect(await statusOf({})).toBe(401);
      expect(await statusOf({ ...bearer, Origin: `http://127.0.0.1:${tlsPort}` })).toBe(403);
      const ws = new WebSocket(`wss://127.0.0.1:${tlsPort}/morning-wake`, {
        headers: bearer,
        rejectUnauthorized: false,
      });
      await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
      await switchOver(ws, false);
      expect(calls).toEqual(['morning-wake enabled false']);
    } finally {
      await secure.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('only loopback addresses count as private to this machine (others draw the plain-http warning)', () => {
  for (const host of ['127.0.0.1', '127.0.1.1', 'localhost', '::1', '[::1]']) {
    expect(isLoopback(host)).toBe(true);
  }
  for (const host of ['0.0.0.0', '::', '192.168.1.20', 'rules.home.lan']) {
    expect(isLoopback(host)).toBe(false);
  }
});
