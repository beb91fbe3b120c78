/**
 * The engine's GatewayConnection over the gateway's Web Thing API: REST for reads and actions, one
 * WebSocket for changes and, while it is open, property writes.
 */
import { Cancel, Clock, RealClock } from '../clock';
import {
  ConnectionState,
  GatewayConnection,
  GatewayEmitter,
  JsonValue,
  ThingState,
} from '../protocol/gateway';
import { Backoff } from './Backoff';
import {
  ClientSettings,
  ClientTrace,
  LogLevel,
  parseGatewayUrl,
  settingsOf,
  WebThingClientOptions,
} from './clientOptions';
import { Command, CommandQueue } from './CommandQueue';
import { GatewayAuthError, GatewayRequestError, excerpt, messageOf, scrub } from './errors';
import { GatewayRest } from './GatewayRest';
import type { GatewayErrorData } from './protocol';
import { RestCommands } from './RestCommands';
import { SocketWrites } from './SocketWrites';
import { ThingMirror } from './ThingMirror';
import { Snapshot, ThingReader } from './ThingReader';
import { ThingSocket, ThingSocketHandlers } from './ThingSocket';
import { WarningLimiter } from './WarningLimiter';

export type { ClientTrace, LogLevel, WebThingClientOptions } from './clientOptions';

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
  private readonly options: ClientSettings;
  private readonly mirror: ThingMirror;
  private readonly socketWrites: SocketWrites;
  private readonly commandsOut: RestCommands;
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
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the mirror reads `closed` as it is now
    const client = this;
    const base = parseGatewayUrl(options.gatewayUrl);
    if (typeof options.token !== 'string' || options.token.trim() === '') {
      throw new Error('No access token: create one in the gateway under Settings → Developer');
    }
    this.token = options.token.trim();
    this.clock = options.clock ?? new RealClock('UTC');
    this.options = settingsOf(options);
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
    this.mirror = new ThingMirror(this.reader, base, {
      emit: (event, payload) => this.emit(event, payload),
      warn: (kind, message) => this.warn(kind, message),
      get isClosed() {
        return client.closed;
      },
      subscribeEvents: (thing) => this.subscribeEvents(thing),
    });
    this.commandsOut = new RestCommands(this.mirror, this.rest, this.token, options.trace);
    this.socketWrites = new SocketWrites(
      this.clock,
      this.options.requestTimeoutMs,
      (thingId, command, detail, status) =>
        this.commandsOut.requestError(thingId, command, detail, status)
    );
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
      this.commandsOut.requestError(
        thingId,
        command,
        'the gateway connection was closed before it was sent'
      )
    );
    for (const [thingId, write] of this.socketWrites.takeAll()) {
      write.reject(
        this.commandsOut.requestError(
          thingId,
          write.command,
          'the gateway connection was closed before it confirmed'
        )
      );
    }
    this.rest.destroy();
    this.settleConnect?.reject(new Error('the gateway connection was closed before it was up'));
    this.settleConnect = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await socket.close();
  }

  /** Every known thing with its last known values: live objects, to be read, not changed. */
  things(): ThingState[] {
    return this.mirror.all();
  }

  /**
   * Sends a `setProperty` over the WebSocket and resolves when the device confirms (its
   * `propertyStatus`), or PUTs the bare value to the property's form while the socket is down and
   * resolves on the gateway's 2xx (sent once the device confirmed). A value the property's
   * description does not allow is refused before anything is sent, as a PUT of it is refused.
   */
  setProperty(thingId: string, name: string, value: JsonValue): Promise<void> {
    const command: Command = { kind: 'set', name, value };
    const refused = this.refuse(thingId, command) ?? this.commandsOut.valueError(thingId, command);
    if (refused) return Promise.reject(refused);
    return this.commands.setProperty(thingId, name, value);
  }

  /** Runs `fn`; the WebSocket writes it makes leave together when it returns (see ThingSocket). */
  together<T>(fn: () => T): T {
    return this.socket ? this.socket.together(fn) : fn();
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
      propertyStatus: (id, data) => {
        this.mirror.propertyStatus(id, data);
        // After the change is reported: whoever awaits the write then reads the new value.
        this.socketWrites.reportArrived(id, data);
      },
      event: (id, data) => this.mirror.event(id, data),
      connected: (id, connected) => this.mirror.connected(id, connected),
      // Both carry only the id: the description is read (again).
      thingAdded: (id) => this.mirror.reload(id),
      thingModified: (id) => this.mirror.reload(id),
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
    this.socketWrites.socketOpened();
  }

  /**
   * Runs synchronously in the socket's 'open' event, before any of its messages can be
   * dispatched, so the gateway's first propertyStatus burst meets the fresh snapshot.
   */
  private socketOpened(socket: ThingSocket, snapshot: Snapshot): void {
    if (this.closed || socket !== this.socket) return;
    try {
      this.mirror.applySnapshot(snapshot, !this.everUp);
    } catch (error) {
      // A listener threw at one of the emitted changes; the connection itself is fine.
      this.warn('handlerError', `reporting what changed while away failed: ${messageOf(error)}`);
    }
    for (const thing of this.mirror.all()) this.subscribeEvents(thing);
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
    this.resendUnconfirmedOverRest();
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

  private subscribeEvents(thing: ThingState): void {
    const events = thing.description.events;
    if (events && this.socket)
      this.socket.addEventSubscription(thing.description.id, Object.keys(events));
  }

  /** `thingRemoved`: a write waiting on the thing fails. */
  private thingRemoved(id: string): void {
    this.socketWrites.fail(id, 'the thing was removed');
    this.mirror.removed(id);
  }

  /** `error`: the gateway refused something we sent; a refused write rejects its caller. */
  private gatewayError(data: GatewayErrorData): void {
    if (this.socketWrites.refusedBy(data, (text) => scrub(text, this.token))) return;
    this.warn(
      'gatewayError',
      `the gateway reported ${data.status ?? data.code ?? 'an error'}: ${excerpt(data.message, 200, this.token)}`
    );
  }

  // ---- commands --------------------------------------------------------------------------

  /** Why a command cannot even be queued, or undefined. */
  private refuse(thingId: string, command: Command): GatewayRequestError | undefined {
    if (this.closed)
      return this.commandsOut.requestError(thingId, command, 'the gateway connection is closed');
    return this.commandsOut.memberError(thingId, command);
  }

  /** The CommandQueue's sender: a write over the WebSocket while the gateway listens on it, else a PUT or POST through the member's form. */
  private sendCommand(thingId: string, command: Command): Promise<void> {
    // Checked again: the thing may have gone while the command waited its turn.
    const missing = this.commandsOut.memberError(thingId, command);
    if (missing) return Promise.reject(missing);
    const socket = this.socket;
    if (command.kind === 'set' && this.options.commandChannel === 'socket' && socket?.listening) {
      return this.socketWrites.send(
        socket,
        thingId,
        command,
        this.mirror.get(thingId)!.values[command.name],
        () => this.trace?.commandOut?.(thingId, command.name)
      );
    }
    return this.commandsOut.sendOverRest(thingId, command);
  }

  /**
   * The socket closed before these writes were confirmed: whether the gateway got them is
   * unknown, so each is sent again as a PUT (setting a value twice leaves the same state).
   */
  private resendUnconfirmedOverRest(): void {
    for (const [thingId, write] of this.socketWrites.takeAll()) {
      this.commandsOut.sendOverRest(thingId, write.command).then(write.resolve, write.reject);
    }
  }

  // ---- warnings --------------------------------------------------------------------------

  /** Emits a warning and logs it, at most one per kind per minute (then says how many were held back). */
  private warn(kind: string, message: string): void {
    const held = this.limiter.admit(kind);
    if (held < 0) return;
    const text = scrub(held > 0 ? `${message} (and ${held} more like it)` : message, this.token);
    this.log('warn', text);
    this.emit('warning', { kind, message: text });
  }
}
