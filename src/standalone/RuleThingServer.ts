/**
 * Serves the standalone runner's rules as Web Things with the `webthing` package, so a gateway can
 * add them through its Web Thing add-on (by URL) and switch them, set their alarm time and use them
 * in GUI rules, as it does with the add-on's RuleThings. Only to whoever holds the serve token
 * (see RequestGuard); each thing's URL is its rule's id, so it never moves.
 */
import http, { STATUS_CODES } from 'http';
import type https from 'https';
import type { AddressInfo, Socket } from 'net';
import { Action, Event, MultipleThings, Property, Thing, Value, WebThingServer } from 'webthing';
import type { JsonValue } from '../protocol/gateway';
import type { FiringRecord, RuleInfo } from '../engine/messages';
import {
  engineSettingValue,
  FIRED_EVENT,
  RUN_ACTION,
  ruleThingMembers,
  shapeOf,
  shownSettingValue,
} from '../host/ruleThingMembers';
import { problemWith, rejection, valueRulesOf } from '../host/validate';
import { Refusal, RequestGuard } from './RequestGuard';

/** What a served RuleThing asks of the runner. */
export interface RuleThingServerHandlers {
  setEnabled(ruleId: string, enabled: boolean): void;
  /** Rejects with the engine's reason; the property then goes back to the rule's value. */
  setSetting(ruleId: string, name: string, value: JsonValue): Promise<void>;
  run(ruleId: string): void;
}

/** Where and to whom the things are served. */
export interface ServeOptions {
  /** 0: a free one. */
  port: number;
  host: string;
  /** The bearer token every request must carry. */
  token: string;
  /** Names besides this machine's that clients may use in the Host header. */
  allowHosts?: string[];
  /** Certificate and key to serve https and wss instead of http and ws. */
  tls?: { cert: Buffer; key: Buffer };
}

interface Served {
  thing: Thing;
  // property name -> its value cell, updated from the engine's reports
  values: Map<string, Value>;
  shape: string;
  rule: RuleInfo;
}

/** webthing looks things up by the `:thingId` of their URL, which here is the rule's id. */
class LiveThings extends MultipleThings {
  // rule id -> its thing
  readonly byRuleId = new Map<string, Thing>();

  override getThing(ruleId?: number | string): Thing | null {
    return this.byRuleId.get(String(ruleId)) ?? null;
  }

  override getThings(): Thing[] {
    return [...this.byRuleId.values()];
  }
}

export class RuleThingServer {
  private readonly things = new LiveThings([], 'Rule Things');
  // rule id -> what is served for it
  private readonly served = new Map<string, Served>();
  private server?: WebThingServer;
  // WebSocket connections, which the HTTP server no longer tracks once upgraded
  private readonly sockets = new Set<Socket>();

  constructor(private readonly handlers: RuleThingServerHandlers) {}

  /** Listens on `host:port` and resolves with the port. No mDNS. */
  async start(options: ServeOptions): Promise<number> {
    const tls = options.tls !== undefined;
    const guard = new RequestGuard({
      token: options.token,
      bindHost: options.host,
      allowHosts: options.allowHosts,
    });
    // Runs before every route of webthing's router, WebSocket routes included.
    const guarded = (
      request: http.IncomingMessage,
      response: http.ServerResponse,
      next: () => void
    ) => {
      // webthing allows every origin; nothing here is for web pages of other sites.
      for (const header of CORS_HEADERS) response.removeHeader(header);
      const refused = guard.refusal(request, tls);
      if (refused) refuse(response, refused);
      else next();
    };
    this.server = new WebThingServer(this.things, options.port, options.host, options.tls ?? null, [
      { path: '/', handler: guarded },
    ]);
    const httpServer = this.server.server;
    gateUpgrades(httpServer, (request) => guard.refusal(request, tls), this.sockets);
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen({ port: options.port, host: options.host }, resolve);
    });
    const port = (httpServer.address() as AddressInfo).port;
    // webthing's own Host check, built for the port asked for, now knows the real one.
    this.server.hosts = guard.listeningOn(port, tls);
    return port;
  }

  async stop(): Promise<void> {
    const httpServer = this.server?.server;
    if (!httpServer?.listening) return;
    httpServer.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  }

  /** Shows exactly these rules. */
  showRules(rules: RuleInfo[]): void {
    const ids = new Set(rules.map((rule) => rule.id));
    for (const id of [...this.served.keys()]) if (!ids.has(id)) this.dropRule(id);
    for (const rule of rules) this.showRule(rule);
  }

  /** Adds a rule's thing, or brings its values up to date (rebuilt when its settings changed). */
  showRule(rule: RuleInfo): void {
    const shape = shapeOf(rule);
    const current = this.served.get(rule.id);
    if (current && current.shape === shape) {
      current.rule = rule;
      for (const member of ruleThingMembers(rule).members)
        current.values.get(member.name)?.notifyOfExternalUpdate(member.value);
      return;
    }
    if (current) this.dropRule(rule.id);
    this.add(rule, shape);
  }

  dropRule(ruleId: string): void {
    const served = this.served.get(ruleId);
    if (!served) return;
    this.served.delete(ruleId);
    this.things.byRuleId.delete(ruleId);
  }

  fired(record: FiringRecord): void {
    const served = this.served.get(record.ruleId);
    if (!served) return;
    served.values.get('lastFired')?.notifyOfExternalUpdate(record.at);
    served.thing.addEvent(new Event(served.thing, 'fired', record.trigger));
  }

  private add(rule: RuleInfo, shape: string): void {
    const thing = new Thing(
      `rule-things-${rule.id}`,
      rule.title,
      ['OnOffSwitch'],
      rule.description
    );
    const values = new Map<string, Value>();
    const served: Served = { thing, values, shape, rule };
    for (const member of ruleThingMembers(rule).members) {
      const { name, role, description } = member;
      const value = new Value<unknown>(member.value, (next: unknown) => {
        const problem = problemWith(valueRulesOf(description), next);
        if (problem) throw new Error(rejection(rule.title, name, next, value.get(), problem));
        if (role === 'enabled') this.handlers.setEnabled(rule.id, next as boolean);
        if (role === 'setting') {
          const setting = served.rule.settings.find((s) => s.name === name);
          const engineValue = setting ? engineSettingValue(setting, next as JsonValue) : next;
          this.handlers.setSetting(rule.id, name, engineValue as JsonValue).catch(() => {
            // The engine refused it: show the rule's value again.
            const kept = served.rule.settings.find((s) => s.name === name);
            value.notifyOfExternalUpdate(kept && shownSettingValue(kept));
          });
        }
      });
      values.set(name, value);
      const { pattern, form: _form, ...metadata } = description;
      thing.addProperty(
        new Property(thing, name, value, { ...metadata, ...(pattern && { pattern }) })
      );
    }
    thing.addAvailableEvent('fired', { ...FIRED_EVENT });
    const handlers = this.handlers;
    class RunAction extends Action {
      constructor(target: Thing, input: unknown) {
        super(Math.random().toString(36).slice(2), target, 'run', input);
      }
      override performAction(): Promise<void> {
        handlers.run(rule.id);
        return Promise.resolve();
      }
    }
    thing.addAvailableAction('run', { ...RUN_ACTION }, RunAction);
    // Rule ids are slugs (a-z, 0-9, "-"): safe in a URL as they are.
    thing.setHrefPrefix(`/${rule.id}`);
    this.things.byRuleId.set(rule.id, thing);
    this.served.set(rule.id, served);
  }
}

const CORS_HEADERS = [
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Headers',
  'Access-Control-Allow-Methods',
];

function refuse(response: http.ServerResponse, refused: Refusal): void {
  response.statusCode = refused.status;
  if (refused.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  response.setHeader('Content-Type', 'text/plain');
  response.end(refused.reason);
}

type UpgradeListener = (request: http.IncomingMessage, socket: Socket, head: Buffer) => void;

/**
 * Refuses a WebSocket upgrade before its handshake. webthing's socket server (express-ws)
 * completes every handshake and only then runs the routes, so a refused client would first
 * see the socket open.
 */
function gateUpgrades(
  server: http.Server | https.Server,
  refusal: (request: http.IncomingMessage) => Refusal | undefined,
  accepted: Set<Socket>
): void {
  const listeners = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const refused = refusal(request);
    if (!refused) {
      accepted.add(socket);
      socket.once('close', () => accepted.delete(socket));
      for (const listener of listeners) listener.call(server, request, socket, head);
      return;
    }
    const body = Buffer.from(refused.reason);
    socket.end(
      [
        `HTTP/1.1 ${refused.status} ${STATUS_CODES[refused.status]}`,
        ...(refused.status === 401 ? ['WWW-Authenticate: Bearer'] : []),
        'Content-Type: text/plain',
        `Content-Length: ${body.length}`,
        'Connection: close',
        '',
        '',
      ].join('\r\n') + body.toString()
    );
  });
}
