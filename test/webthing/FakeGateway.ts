/** A small gateway-shaped server for the client's tests: the Web Thing REST API and `/things` WebSocket of WebThings Gateway 2.1 on 127.0.0.1, with knobs to hold, fail or hang answers. */
import http from 'http';
import type { AddressInfo, Socket } from 'net';
import { WebSocket, WebSocketServer } from 'ws';
import type { JsonValue } from '../../src/protocol/gateway';

export interface FakeThing {
  id: string;
  title: string;
  properties: Record<string, { type: string; readOnly?: boolean }>;
  actions?: Record<string, { input?: Record<string, unknown> }>;
  events?: Record<string, { type?: string }>;
  values: Record<string, JsonValue>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeGatewayOptions {
  /** Path prefix of the property and action forms, to prove the client follows forms. */
  formPrefix?: string;
  /** Offer the thing-level readallproperties form (the real gateway does). */
  readAllForm?: boolean;
  /** Answer the client's pings (ws does by default); false plays a dead connection. */
  autoPong?: boolean;
}

export const TOKEN = 'tok.SECRET-9f8e7d6c5b4a';

export class FakeGateway {
  readonly token = TOKEN;
  port = 0;
  readonly requests: RecordedRequest[] = [];
  /** WebSocket messages the client sent, parsed. */
  readonly received: Record<string, unknown>[] = [];
  readonly things = new Map<string, FakeThing>();
  /** While true, PUT answers wait until release() (each PUT is still recorded on arrival). */
  holdPuts = false;
  /** Requests whose path matches never get an answer. */
  hang: RegExp | undefined;
  /** path -> status to answer with instead of the normal answer */
  readonly failures = new Map<string, number>();
  private readonly formPrefix: string;
  private readonly readAllForm: boolean;
  private readonly autoPong: boolean;
  /** Pings received from clients. */
  pings = 0;
  /** The URL and Authorization header of every WebSocket upgrade asked for. */
  readonly upgrades: { url: string; authorization: string | undefined }[] = [];
  private held: (() => void)[] = [];
  private server: http.Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly sockets = new Set<WebSocket>();
  private readonly connections = new Set<Socket>();
  private readonly requestWaiters: (() => void)[] = [];

  constructor(things: FakeThing[], options: FakeGatewayOptions = {}) {
    for (const thing of things) this.things.set(thing.id, thing);
    this.formPrefix = options.formPrefix ?? '';
    this.readAllForm = options.readAllForm ?? true;
    this.autoPong = options.autoPong ?? true;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens on 127.0.0.1, on `port` (0: any free one; the same one again after a restart). */
  async start(port = this.port): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket) => {
      this.connections.add(socket);
      socket.on('close', () => this.connections.delete(socket));
    });
    const wss = new WebSocketServer({ noServer: true, autoPong: this.autoPong });
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      this.upgrades.push({ url: req.url ?? '', authorization: req.headers.authorization });
      wss.handleUpgrade(req, socket, head, (ws) => {
        // Like the gateway: a bad token still gets the upgrade, then the socket is closed at once.
        // Only the header is accepted here (the gateway also takes ?jwt=, which the client must not use).
        if (url.pathname !== '/things' || req.headers.authorization !== `Bearer ${this.token}`) {
          ws.close();
          return;
        }
        this.welcome(ws);
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    this.wss = wss;
  }

  /** Drops every connection at once, like a gateway that dies. */
  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    for (const socket of this.connections) socket.destroy();
    this.release();
    const server = this.server;
    this.server = undefined;
    this.wss?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Lets every held PUT answer. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const answer of held) answer();
  }

  /** Changes a value the way a device would, and tells every socket. */
  setValue(id: string, name: string, value: JsonValue): void {
    this.things.get(id)!.values[name] = value;
    this.broadcast({ id, messageType: 'propertyStatus', data: { [name]: value } });
  }

  /** Sends a message (an object as JSON, a string as is) to every connected socket. */
  broadcast(message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    for (const ws of this.sockets) ws.send(text);
  }

  get socketCount(): number {
    return this.sockets.size;
  }

  /** Resolves once a request matching `predicate` has arrived. */
  async waitForRequest(predicate: (r: RecordedRequest) => boolean): Promise<RecordedRequest> {
    for (;;) {
      const found = this.requests.find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => this.requestWaiters.push(resolve));
    }
  }

  description(thing: FakeThing): Record<string, unknown> {
    const href = `/things/${encodeURIComponent(thing.id)}`;
    const p = `${this.formPrefix}${href}`;
    const properties: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(thing.properties)) {
      properties[name] = {
        ...property,
        title: name,
        forms: [
          { href: `${p}/properties/${encodeURIComponent(name)}` },
          {
            href: `${p}/properties/${encodeURIComponent(name)}`,
            op: ['observeproperty', 'unobserveproperty'],
            subprotocol: 'sse',
          },
        ],
      };
    }
    const actions: Record<string, unknown> = {};
    for (const [name, action] of Object.entries(thing.actions ?? {})) {
      actions[name] = { ...action, forms: [{ href: `${p}/actions/${encodeURIComponent(name)}` }] };
    }
    const events: Record<string, unknown> = {};
    for (const [name, event] of Object.entries(thing.events ?? {})) {
      events[name] = { ...event, forms: [{ href: `${href}/events/${name}`, subprotocol: 'sse' }] };
    }
    const forms = this.readAllForm
      ? [{ href: `${p}/properties`, op: ['readallproperties', 'writemultipleproperties'] }]
      : [];
    return {
      id: `${this.url}${href}`,
      title: thing.title,
      href,
      base: `${this.url}/`,
      properties,
      actions,
      events,
      forms,
      links: [{ rel: 'alternate', href: `ws://127.0.0.1:${this.port}${href}` }],
    };
  }

  private welcome(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('ping', () => this.pings++);
    ws.on('message', (data) => {
      try {
        this.received.push(JSON.parse(data.toString()));
      } catch {
        // The tests only look at well-formed messages.
      }
    });
    // What the gateway sends on connect: "connected" per thing, then one propertyStatus per property.
    for (const thing of this.things.values()) {
      ws.send(JSON.stringify({ id: thing.id, messageType: 'connected', data: true }));
    }
    for (const thing of this.things.values()) {
      for (const [name, value] of Object.entries(thing.values)) {
        ws.send(
          JSON.stringify({ id: thing.id, messageType: 'propertyStatus', data: { [name]: value } })
        );
      }
    }
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      for (const wake of this.requestWaiters.splice(0)) wake();
      if (this.hang?.test(path)) return;
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        res.writeHead(401).end('Unauthorized');
        return;
      }
      if (req.headers.accept !== 'application/json') {
        // The gateway serves its web UI to anyone who does not ask for JSON.
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><html></html>');
        return;
      }
      const failure = this.failures.get(path);
      if (failure) {
        res.writeHead(failure).end('Invalid property value');
        return;
      }
      const answer = (): void => this.route(req.method ?? '', path, body, res);
      if (req.method === 'PUT' && this.holdPuts) this.held.push(answer);
      else answer();
    });
  }

  private route(method: string, path: string, body: string, res: http.ServerResponse): void {
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    };
    if (method === 'GET' && path === '/things') {
      json(
        200,
        [...this.things.values()].map((t) => this.description(t))
      );
      return;
    }
    const prefix = this.formPrefix.replace(/[/]/g, '\\/');
    const match = new RegExp(
      `^(?:${prefix})?/things/([^/]+)(?:/(properties|actions)(?:/([^/]+))?)?$`
    ).exec(path);
    const thing = match ? this.things.get(decodeURIComponent(match[1])) : undefined;
    if (!match || !thing) {
      res.writeHead(404).end('Not Found');
      return;
    }
    const [, , kind, rawName] = match;
    const name = rawName === undefined ? undefined : decodeURIComponent(rawName);
    if (kind === undefined && method === 'GET') return json(200, this.description(thing));
    if (kind === 'properties' && name === undefined && method === 'GET') {
      return json(200, thing.values);
    }
    if (kind === 'properties' && name !== undefined && thing.properties[name]) {
      if (method === 'GET') return json(200, thing.values[name] ?? null);
      if (method === 'PUT') {
        let value: JsonValue;
        try {
          value = JSON.parse(body);
        } catch {
          res.writeHead(400).end('Invalid property value');
          return;
        }
        this.setValue(thing.id, name, value);
        res.writeHead(204).end();
        return;
      }
    }
    if (kind === 'actions' && name !== undefined && method === 'POST' && thing.actions?.[name]) {
      return json(201, { href: `${path}/1`, status: 'created' });
    }
    res.writeHead(404).end('Not Found');
  }
}
