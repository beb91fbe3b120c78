/** The engine's GatewayConnection over the gateway's Web Thing API: REST for reads and commands, one WebSocket for changes. */
import { Cancel, Clock, RealClock } from '../clock';
import {
  ConnectionState,
  GatewayConnection,
  GatewayEmitter,
  JsonValue,
  ThingDescription,
  ThingState,
} from '../protocol/gateway';
import { Backoff, BackoffOptions } from './Backoff';
import { Command, CommandQueue } from './CommandQueue';
import { GatewayAuthError, GatewayHttpError, GatewayRequestError, excerpt, scrub } from './errors';
import { formUrl } from './forms';
import { GatewayRest } from './GatewayRest';
import type { GatewayErrorData } from './protocol';
import { Snapshot, ThingReader } from './ThingReader';
import { ThingSocket, ThingSocketHandlers } from './ThingSocket';
import { WarningLimiter } from './WarningLimiter';
import { badValueMessage, fitsType, sameValue } from './values';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface WebThingClientOptions {
  /** The gateway's address, http or https ("http://127.0.0.1:8080"). */
  gatewayUrl: string;
  /** A local authorization from Settings → Developer; it never appears in any message or log. */
  token: string;
  /** Accept a self-signed certificate on https (the gateway's own); off unless asked for. */
  acceptSelfSigned?: boolean;
  /** Limit for each HTTP request and the WebSocket handshake (default 10 s). */
  requestTimeoutMs?: number;
  /** Reconnect delays (default: 500 ms doubling up to 30 s, full jitter). */
  backoff?: BackoffOptions;
  /** Ping a WebSocket silent this long, reconnect if the next period is silent too (default 45 s; 0 disables). */
  idleTimeoutMs?: number;
  /** Largest WebSocket message accepted (default 4 MiB); a bigger one costs a reconnect, not the heap. */
  maxPayloadBytes?: number;
  /** Failed attempts after which connect() rejects (default: keep trying until close()). */
  connectAttempts?: number;
  /** Timers and "now" (default: the real clock); must be a real clock outside tests. */
  clock?: Clock;
  logger?: (level: LogLevel, message: string) => void;
  /** Timing hooks for bench/; off unless given. */
  trace?: ClientTrace;
}

/** Where bench/ times the engine's share of a reaction: from a message in to its command out. */
export interface ClientTrace {
  /** A WebSocket message arrived; called before it is parsed. */
  messageIn?(): void;
  /** A command's HTTP request was handed to node's http client (its bytes go out on the next tick). */
  commandOut?(thingId: string, name: string): void;
}

/**
 * Connects the engine to a WebThings Gateway.
 *
 * @example
 * const gateway = new WebThingClient({ gatewayUrl: 'http://127.0.0.1:8080', token });
 * gateway.on('propertyChanged', ({ thingId, name, value }) => console.log(thingId, name, value));
 * await gateway.connect();
 * await gateway.setProperty('virtual-things-0', 'on', true);
 */
export class WebThingClient extends GatewayEmitter implements GatewayConnection {
  private readonly rest: GatewayRest;
  private readonly token: string;
  private readonly socketUrl: URL;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly limiter: WarningLimiter;
  private readonly commands: CommandQueue;
  private readonly reader: ThingReader;
  private readonly log: (level: LogLevel, message: string) => void;
  private readonly trace: ClientTrace | undefined;
  private readonly options: Required<
    Pick<
      WebThingClientOptions,
      | 'acceptSelfSigned'
      | 'requestTimeoutMs'
      | 'idleTimeoutMs'
      | 'maxPayloadBytes'
      | 'connectAttempts'
    >
  >;
  // thing id -> its description, last known values and reachability (the objects things() hands out)
  private readonly thingsById = new Map<string, ThingState>();
  // ids of things whose values could not be read; read again when the gateway says they connected
  private readonly incomplete = new Set<string>();
  // thing id -> the re-read of its description in progress (thingAdded, thingModified), chained in order
  private readonly reloads = new Map<string, Promise<void>>();
  // thing id -> removals seen while a re-read of it was pending; a re-read that spans one is dropped
  private readonly removals = new Map<string, number>();
  private socket: ThingSocket | undefined;
  private connection: ConnectionState = { state: 'connecting' };
  private cancelRetry: Cancel | undefined;
  private connecting: Promise<void> | undefined;
  private settleConnect: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private failedAttempts = 0;
  private everUp = false;
  private closed = false;

  constructor(options: WebThingClientOptions) {
    super();
    const base = parseGatewayUrl(options.gatewayUrl);
    if (typeof options.token !== 'string' || options.token.trim() === '') {
      throw new Error('No access token: create one in the gateway under Settings → Developer');
    }
    this.token = options.token.trim();
    this.clock = options.clock ?? new RealClock('UTC');
    this.options = {
      acceptSelfSigned: options.acceptSelfSigned ?? false,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 45_000,
      maxPayloadBytes: options.maxPayloadBytes ?? 4 * 1024 * 1024,
      connectAttempts: options.connectAttempts ?? Infinity,
    };
    this.rest = new GatewayRest({
      base,
      token: this.token,
      acceptSelfSigned: this.options.acceptSelfSigned,
      timeoutMs: this.options.requestTimeoutMs,
      clock: this.clock,
    });
    this.socketUrl = new URL('things', base);
    this.socketUrl.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    this.backoff = new Backoff(options.backoff);
    this.limiter = new WarningLimiter(() => this.clock.nowMs());
    this.reader = new ThingReader(this.rest, (kind, message) => this.warn(kind, message));
    this.commands = new CommandQueue((thingId, command) => this.sendCommand(thingId, command));
    this.trace = options.trace;
    const logger = options.logger;
    // Every line passes the scrubber: the token must never reach a log, whatever quoted it.
    this.log = logger ? (level, message) => logger(level, scrub(message, this.token)) : () => {};
  }

  /** Reads every thing and its values, opens the WebSocket, and resolves once both are done. */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('connect() after close()'));
    if (this.connecting) return this.connecting;
    this.connecting = new Promise<void>((resolve, reject) => {
      this.settleConnect = { resolve, reject };
    });
    this.setConnection({ state: 'connecting' });
    this.startAttempt();
    return this.connecting;
  }

  /** Stops reconnecting, aborts requests in flight, rejects queued commands and closes the WebSocket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.commands.clear((thingId, command) =>
      this.requestError(thingId, command, 'the gateway connection was closed before it was sent')
    );
    this.rest.destroy();
    this.settleConnect?.reject(new Error('the gateway connection was closed before it was up'));
    this.settleConnect = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await socket.close();
  }

  /** Every known thing with its last known values: live objects, to be read, not changed. */
  things(): ThingState[] {
    return Array.from(this.thingsById.values());
  }

  /** PUTs the bare value to the property's form; resolves on the gateway's 2xx. */
  setProperty(thingId: string, name: string, value: JsonValue): Promise<void> {
    const command: Command = { kind: 'set', name, value };
    const refused = this.refuse(thingId, command);
    if (refused) return Promise.reject(refused);
    return this.commands.setProperty(thingId, name, value);
  }

  /** POSTs the input to the action's form; resolves when the gateway accepts the request. */
  requestAction(thingId: string, name: string, input?: JsonValue): Promise<void> {
    const command: Command = { kind: 'action', name, value: input };
    const refused = this.refuse(thingId, command);
    if (refused) return Promise.reject(refused);
    return this.commands.requestAction(thingId, name, input);
  }

  // ---- connecting and reconnecting -------------------------------------------------------

  private startAttempt(): void {
    this.cancelRetry = undefined;
    // attempt() handles its own failures; this catches only what a listener threw at it.
    this.attempt().catch((error: unknown) =>
      this.log('error', `connecting to the gateway failed unexpectedly: ${messageOf(error)}`)
    );
  }

  /** One try: read everything over REST, then open the WebSocket; the snapshot is applied when it opens. */
  private async attempt(): Promise<void> {
    let snapshot: Snapshot;
    try {
      snapshot = await this.reader.readAll();
    } catch (error) {
      this.attemptFailed(error);
      return;
    }
    if (this.closed) return;
    try {
      this.openSocket(snapshot);
    } catch (error) {
      this.attemptFailed(error);
    }
  }

  private openSocket(snapshot: Snapshot): void {
    let socket: ThingSocket | undefined = undefined;
    const handlers: ThingSocketHandlers = {
      open: () => this.socketOpened(socket!, snapshot),
      closed: (reason, wasOpen) => this.socketClosed(socket!, reason, wasOpen),
      propertyStatus: (id, data) => this.propertyStatus(id, data),
      event: (id, data) => this.event(id, data),
      connected: (id, connected) => this.thingConnected(id, connected),
      thingAdded: (id) => this.thingAdded(id),
      thingModified: (id) => this.thingModified(id),
      thingRemoved: (id) => this.thingRemoved(id),
      gatewayError: (data) => this.gatewayError(data),
      warning: (kind, message) => this.warn(kind, message),
    };
    socket = new ThingSocket(
      {
        url: this.socketUrl,
        token: this.token,
        acceptSelfSigned: this.options.acceptSelfSigned,
        handshakeTimeoutMs: this.options.requestTimeoutMs,
        maxPayloadBytes: this.options.maxPayloadBytes,
        idleTimeoutMs: this.options.idleTimeoutMs,
        clock: this.clock,
        onMessageIn: this.trace?.messageIn?.bind(this.trace),
      },
      handlers
    );
    this.socket = socket;
  }

  /**
   * Runs synchronously in the socket's 'open' event, before any of its messages can be
   * dispatched, so the gateway's first propertyStatus burst meets the fresh snapshot.
   */
  private socketOpened(socket: ThingSocket, snapshot: Snapshot): void {
    if (this.closed || socket !== this.socket) return;
    try {
      this.applySnapshot(snapshot, !this.everUp);
    } catch (error) {
      // A listener threw at one of the emitted changes; the connection itself is fine.
      this.warn('handlerError', `reporting what changed while away failed: ${messageOf(error)}`);
    }
    for (const thing of this.thingsById.values()) this.subscribeEvents(thing);
    this.everUp = true;
    this.failedAttempts = 0;
    this.backoff.reset();
    this.setConnection({ state: 'up' });
    this.log('info', `connected to the gateway at ${this.rest.displayUrl}`);
    this.settleConnect?.resolve();
    this.settleConnect = undefined;
  }

  private socketClosed(socket: ThingSocket, reason: string, wasOpen: boolean): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    if (this.closed) return;
    if (!wasOpen) {
      this.attemptFailed(new Error(`the WebSocket did not open: ${reason}`));
      return;
    }
    this.goDown(`the WebSocket to the gateway closed: ${reason}`);
    this.scheduleRetry();
  }

  private attemptFailed(error: unknown): void {
    if (this.closed) return;
    const message = scrub(messageOf(error), this.token);
    this.failedAttempts++;
    this.goDown(message);
    // A refused token will not be accepted on retry: say so once instead of retrying at start-up.
    // Once connected, a refusal is retried, since the user can fix it while the add-on runs.
    const fatal = error instanceof GatewayAuthError && !this.everUp;
    if (fatal || (!this.everUp && this.failedAttempts >= this.options.connectAttempts)) {
      const settle = this.settleConnect;
      this.settleConnect = undefined;
      // A later connect() call starts afresh.
      this.connecting = undefined;
      this.failedAttempts = 0;
      settle?.reject(
        fatal
          ? (error as GatewayAuthError)
          : new Error(`could not connect to the gateway at ${this.rest.displayUrl}: ${message}`)
      );
      return;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const delay = this.backoff.next();
    this.log('debug', `reconnecting to the gateway in ${delay} ms`);
    this.cancelRetry = this.clock.after(delay, () => this.startAttempt());
  }

  private goDown(reason: string): void {
    const since = this.connection.state === 'down' ? this.connection.since : this.clock.nowMs();
    if (this.connection.state === 'down' && this.connection.reason === reason) return;
    this.log('warn', `gateway connection down: ${reason}`);
    this.setConnection({ state: 'down', since, reason });
  }

  private setConnection(state: ConnectionState): void {
    this.connection = state;
    // A listener that throws must not stop reconnecting.
    try {
      this.emit('connection', state);
    } catch (error) {
      this.log('error', `a 'connection' listener failed: ${messageOf(error)}`);
    }
  }

  // ---- reading things --------------------------------------------------------------------

  /** Brings the known things in line with a snapshot, emitting what changed while we were away. */
  private applySnapshot(snapshot: Snapshot, initial: boolean): void {
    const seen = new Set<string>();
    for (const fresh of snapshot.states) {
      const id = fresh.description.id;
      seen.add(id);
      const complete = !snapshot.incomplete.has(id);
      const current = this.thingsById.get(id);
      if (current) {
        this.merge(current, fresh.description, fresh.values, complete);
        continue;
      }
      this.thingsById.set(id, fresh);
      if (complete) this.incomplete.delete(id);
      else this.incomplete.add(id);
      // Things present at connect() are read from things(), not announced one by one.
      if (!initial) this.emit('thingAdded', fresh);
    }
    for (const id of this.thingsById.keys()) {
      if (seen.has(id)) continue;
      this.thingsById.delete(id);
      this.incomplete.delete(id);
      this.emit('thingRemoved', { thingId: id });
    }
  }

  /** Updates a known thing in place (the engine may hold it), emitting thingModified and changed values. */
  private merge(
    current: ThingState,
    description: ThingDescription,
    values: Record<string, JsonValue>,
    complete: boolean
  ): void {
    const id = current.description.id;
    const modified = !sameValue(current.description, description);
    current.description = description;
    for (const name of Object.keys(current.values)) {
      if (!Object.hasOwn(description.properties, name)) delete current.values[name];
    }
    if (modified) this.emit('thingModified', current);
    if (!complete) {
      // Keep the values we had: stale beats empty, and they are read again on 'connected'.
      this.incomplete.add(id);
      return;
    }
    this.incomplete.delete(id);
    for (const name of Object.keys(values)) {
      const value = values[name];
      if (sameValue(current.values[name], value)) continue;
      current.values[name] = value;
      this.emit('propertyChanged', { thingId: id, name, value });
    }
  }

  /** Re-reads one thing's description and values, after the ones asked for before it. */
  private reload(id: string): void {
    const previous = this.reloads.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => this.reloadThing(id))
      .catch((error: unknown) => {
        if (!this.closed) {
          this.warn('reloadFailed', `could not read thing "${id}" again: ${messageOf(error)}`);
        }
      })
      .then(() => {
        if (this.reloads.get(id) === next) this.reloads.delete(id);
      });
    this.reloads.set(id, next);
  }

  private async reloadThing(id: string): Promise<void> {
    if (this.closed) return;
    const removals = this.removals.get(id);
    const known = this.thingsById.get(id);
    const href = known?.description.href;
    // A new thing has no description yet to take an href from; the Web Thing API puts it under /things.
    const url = href
      ? new URL(href, this.rest.base)
      : new URL(`things/${encodeURIComponent(id)}`, this.rest.base);
    const read = await this.reader.readThing(url);
    if (!read) return;
    const { description, values, complete } = read;
    // Removed while we read it: what we read is already out of date.
    if (this.closed || this.removals.get(id) !== removals) return;
    const current = this.thingsById.get(description.id);
    if (current) {
      this.merge(current, description, values, complete);
      this.subscribeEvents(current);
      return;
    }
    const state: ThingState = { description, values, connected: true };
    this.thingsById.set(description.id, state);
    if (!complete) this.incomplete.add(description.id);
    this.emit('thingAdded', state);
    this.subscribeEvents(state);
  }

  private subscribeEvents(thing: ThingState): void {
    const events = thing.description.events;
    if (events && this.socket)
      this.socket.addEventSubscription(thing.description.id, Object.keys(events));
  }

  // ---- WebSocket messages (one method per messageType) -----------------------------------

  /** `propertyStatus`: one propertyChanged per property whose value really changed. */
  private propertyStatus(id: string, data: Record<string, unknown>): void {
    const thing = this.thingsById.get(id);
    if (thing === undefined) {
      this.warnUnknownThing(id, 'propertyStatus');
      return;
    }
    const properties = thing.description.properties;
    const values = thing.values;
    for (const name in data) {
      // hasOwn: a "__proto__" key from JSON.parse must not reach the values object's prototype.
      if (!Object.hasOwn(properties, name)) {
        this.warn('unknownProperty', `"${thing.description.title}" has no property "${name}"`);
        continue;
      }
      const value = data[name];
      if (!fitsType(properties[name].type, value)) {
        this.warn('badValue', badValueMessage(thing.description, name, value));
        continue;
      }
      const old = values[name];
      // The gateway repeats every value when a socket opens; only real changes are changes.
      if (old === value || (typeof value === 'object' && sameValue(old, value))) continue;
      values[name] = value;
      this.emit('propertyChanged', { thingId: id, name, value });
    }
  }

  /** `event`: data is `{ <name>: { data, timestamp } }`. */
  private event(id: string, data: Record<string, unknown>): void {
    if (!this.thingsById.has(id)) {
      this.warnUnknownThing(id, 'event');
      return;
    }
    for (const name in data) {
      const description = data[name];
      const payload = isRecord(description)
        ? (description.data as JsonValue | undefined)
        : undefined;
      this.emit('event', { thingId: id, name, data: payload });
    }
  }

  /** `connected`: the device's reachability; a thing that comes back gets the values we missed. */
  private thingConnected(id: string, connected: boolean): void {
    const thing = this.thingsById.get(id);
    if (thing === undefined) {
      this.warnUnknownThing(id, 'connected');
      return;
    }
    if (thing.connected !== connected) {
      thing.connected = connected;
      this.emit('thingConnected', { thingId: id, connected });
    }
    if (connected && this.incomplete.has(id)) this.reload(id);
  }

  /** `thingAdded`: the message carries only the id, so the description is read. */
  private thingAdded(id: string): void {
    this.reload(id);
  }

  /** `thingModified`: the message carries only the id, so the description is read again. */
  private thingModified(id: string): void {
    this.reload(id);
  }

  /** `thingRemoved`. */
  private thingRemoved(id: string): void {
    if (this.reloads.has(id)) this.removals.set(id, (this.removals.get(id) ?? 0) + 1);
    if (!this.thingsById.delete(id)) return;
    this.incomplete.delete(id);
    this.emit('thingRemoved', { thingId: id });
  }

  /** `error`: the gateway refused something we sent (only addEventSubscription goes over the socket). */
  private gatewayError(data: GatewayErrorData): void {
    this.warn(
      'gatewayError',
      `the gateway reported ${data.status ?? data.code ?? 'an error'}: ${excerpt(data.message, 200, this.token)}`
    );
  }

  // ---- commands --------------------------------------------------------------------------

  /** Why a command cannot even be queued, or undefined. */
  private refuse(thingId: string, command: Command): GatewayRequestError | undefined {
    if (this.closed) return this.requestError(thingId, command, 'the gateway connection is closed');
    return this.memberError(thingId, command);
  }

  private memberError(thingId: string, command: Command): GatewayRequestError | undefined {
    const thing = this.thingsById.get(thingId);
    if (!thing) return this.requestError(thingId, command, 'the gateway has no such thing');
    const members =
      command.kind === 'set' ? thing.description.properties : (thing.description.actions ?? {});
    if (!Object.hasOwn(members, command.name)) {
      return this.requestError(
        thingId,
        command,
        `the thing has no ${command.kind === 'set' ? 'property' : 'action'} of that name`
      );
    }
    return undefined;
  }

  /** The CommandQueue's sender: one PUT or POST through the member's form. */
  private async sendCommand(thingId: string, command: Command): Promise<void> {
    // Checked again: the thing may have gone while the command waited its turn.
    const missing = this.memberError(thingId, command);
    if (missing) throw missing;
    const description = this.thingsById.get(thingId)!.description;
    const set = command.kind === 'set';
    const member = set ? description.properties[command.name] : description.actions![command.name];
    const url = formUrl(member.forms, set ? 'writeproperty' : 'invokeaction', this.rest.base);
    if (!url) {
      throw this.requestError(thingId, command, 'its description offers no HTTP form for this');
    }
    try {
      const sent = set
        ? this.rest.putProperty(url, command.value as JsonValue)
        : this.rest.postAction(url, command.value);
      this.trace?.commandOut?.(thingId, command.name);
      await sent;
    } catch (error) {
      const status =
        error instanceof GatewayHttpError || error instanceof GatewayAuthError
          ? error.status
          : undefined;
      const detail = error instanceof GatewayHttpError ? error.detail : messageOf(error);
      throw this.requestError(thingId, command, scrub(detail, this.token), status);
    }
  }

  private requestError(
    thingId: string,
    command: Command,
    detail: string,
    status?: number
  ): GatewayRequestError {
    const title = this.thingsById.get(thingId)?.description.title;
    return new GatewayRequestError(
      command.kind === 'set' ? 'property' : 'action',
      { id: thingId, title },
      command.name,
      command.value,
      detail,
      status
    );
  }

  // ---- warnings --------------------------------------------------------------------------

  private warnUnknownThing(id: string, messageType: string): void {
    // A thing being read after thingAdded is not unknown, just not ready.
    if (this.reloads.has(id)) return;
    this.warn(
      'unknownThing',
      `a "${messageType}" message names thing "${id}", which the gateway did not list`
    );
  }

  /** Emits a warning and logs it, at most one per kind per minute (then says how many were held back). */
  private warn(kind: string, message: string): void {
    const held = this.limiter.admit(kind);
    if (held < 0) return;
    const text = scrub(held > 0 ? `${message} (and ${held} more like it)` : message, this.token);
    this.log('warn', text);
    this.emit('warning', { kind, message: text });
  }
}

function parseGatewayUrl(gatewayUrl: string): URL {
  let url: URL;
  try {
    url = new URL(gatewayUrl);
  } catch {
    throw new Error(
      `Invalid gateway URL: "${String(gatewayUrl).slice(0, 100)}" (expected e.g. http://127.0.0.1:8080)`
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Invalid gateway URL: "${url.protocol}" is not http: or https:`);
  }
  // Relative URLs resolve under a base only when its path ends in "/" (a gateway behind a path prefix).
  const base = new URL(
    `${url.origin}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`
  );
  return base;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
