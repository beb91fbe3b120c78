/** The one WebSocket to the gateway's `/things`: checks each message's shape and hands it to one handler per messageType. */
import type { Socket } from 'net';
import WebSocket from 'ws';
import type { Cancel, Clock } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import { excerpt, messageOf, scrub } from './errors';
import { isRecord } from './values';
import {
  ACTION_STATUS,
  ADD_EVENT_SUBSCRIPTION,
  CONNECTED,
  ERROR,
  EVENT,
  GatewayErrorData,
  IncomingMessage,
  LAYOUT_MODIFIED,
  PROPERTY_STATUS,
  SET_PROPERTY,
  THING_ADDED,
  THING_MODIFIED,
  THING_REMOVED,
} from './protocol';

/** What the socket reports; message handlers are only called with well-formed messages. */
export interface ThingSocketHandlers {
  open(): void;
  /** The socket is gone; `wasOpen` is false when it never connected. Not called after close(). */
  closed(reason: string, wasOpen: boolean): void;
  propertyStatus(thingId: string, data: Record<string, unknown>): void;
  event(thingId: string, data: Record<string, unknown>): void;
  connected(thingId: string, connected: boolean): void;
  thingAdded(thingId: string): void;
  thingModified(thingId: string): void;
  thingRemoved(thingId: string): void;
  gatewayError(data: GatewayErrorData): void;
  warning(kind: string, message: string): void;
}

export interface ThingSocketOptions {
  /** ws(s)://host/things, without the token. */
  url: URL;
  token: string;
  acceptSelfSigned: boolean;
  handshakeTimeoutMs: number;
  maxPayloadBytes: number;
  /** After this long without a word, ping; close if the next period brings no answer either; 0 disables. */
  idleTimeoutMs: number;
  clock: Clock;
  /** Called as each message arrives, before it is parsed (the benchmark times the engine from here). */
  onMessageIn?: () => void;
}

export class ThingSocket {
  private readonly ws: WebSocket;
  private readonly token: string;
  private readonly clock: Clock;
  private readonly idleTimeoutMs: number;
  private readonly onMessageIn: (() => void) | undefined;
  private wasOpen = false;
  // true once close() was called or closed() was reported: nothing is dispatched after it
  private done = false;
  // any message, ping or pong since the idle check last looked
  private heard = false;
  // the idle check sent a ping and waits for its pong
  private probing = false;
  // the gateway has sent a message on this socket, so its message handler is attached
  private greeted = false;
  // control messages asked for before the gateway listened, sent once it does
  private heldUntilListening: { message: string; what: string }[] = [];
  private cancelIdle: Cancel | undefined;
  private lastError = '';
  private closeWaiters: (() => void)[] = [];
  // the TCP (or TLS) connection under the WebSocket, known once the gateway upgraded it
  private connection: Socket | undefined;
  // inside together(): the `sent` callbacks of the writes held in the corked connection
  private held: (() => void)[] | undefined;

  constructor(
    options: ThingSocketOptions,
    private readonly handlers: ThingSocketHandlers
  ) {
    this.token = options.token;
    this.clock = options.clock;
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.onMessageIn = options.onMessageIn;
    try {
      // In the header, not `?jwt=`: a URL ends up in proxies' and servers' access logs.
      this.ws = new WebSocket(options.url.href, {
        headers: { Authorization: `Bearer ${options.token}` },
        maxPayload: options.maxPayloadBytes,
        handshakeTimeout: options.handshakeTimeoutMs,
        // Compression costs CPU per message and the gateway's messages are tiny.
        perMessageDeflate: false,
        rejectUnauthorized: !options.acceptSelfSigned,
      });
    } catch (error) {
      // Scrubbed all the same: a gateway URL may carry credentials of its own.
      throw new Error(scrub(error instanceof Error ? error.message : String(error), this.token));
    }
    this.ws.on('upgrade', (response) => {
      this.connection = response.socket;
    });
    this.ws.on('open', () => this.onOpen());
    this.ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.ws.on('ping', () => {
      this.heard = true;
    });
    this.ws.on('pong', () => {
      this.heard = true;
    });
    this.ws.on('error', (error) => this.onError(error));
    this.ws.on('close', (code, reason) => this.onClose(code, reason));
  }

  /**
   * Asks the gateway to forward these events of this thing; it forwards none without being asked.
   * Held until the gateway has spoken on this socket (see `listening`).
   */
  addEventSubscription(thingId: string, eventNames: string[]): void {
    if (this.done || eventNames.length === 0) return;
    const data: Record<string, Record<string, never>> = {};
    for (const name of eventNames) data[name] = {};
    const message = JSON.stringify({ messageType: ADD_EVENT_SUBSCRIPTION, id: thingId, data });
    const what = `addEventSubscription for "${thingId}"`;
    if (!this.greeted) this.heldUntilListening.push({ message, what });
    else if (this.ws.readyState === WebSocket.OPEN) this.sendControl(message, what);
  }

  /**
   * True while a message sent now reaches the gateway's handler. The gateway 2.1 upgrades the
   * socket first and attaches its message handler only after its asynchronous routing (static
   * files, token check): what a client sends in between is dropped without a word (measured: 11
   * of 15 writes sent at 'open' were lost). Its first message (the greeting) is sent after the
   * handler is attached, so the socket is usable once the gateway has spoken on it.
   */
  get listening(): boolean {
    return !this.done && this.greeted && this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a `setProperty` message (see protocol.ts for how the gateway answers); false when the
   * socket is not `listening`, so the caller can take another way. `sent` is called once the
   * message has left for the gateway (inside `together`, when it returns). A send that fails
   * closes the socket, and its close is reported as usual.
   */
  setProperty(thingId: string, name: string, value: JsonValue, sent?: () => void): boolean {
    if (!this.listening) return false;
    this.ws.send(
      JSON.stringify({ messageType: SET_PROPERTY, id: thingId, data: { [name]: value } })
    );
    if (sent && this.held) this.held.push(sent);
    else sent?.();
    return true;
  }

  /**
   * Runs `fn` and sends the writes it made together when it returns, in one system call. Each
   * write to the gateway is a system call that also wakes the gateway (measured on a 2-core
   * machine: about 0.3 ms each), so six lights set one by one reached the gateway well after six
   * set at once. Only around rule code that writes: what runs before `fn` returns delays them.
   */
  together<T>(fn: () => T): T {
    const connection = this.connection;
    // Nested: the outermost call sends.
    if (this.held || !connection) return fn();
    const held: (() => void)[] = [];
    this.held = held;
    connection.cork();
    try {
      return fn();
    } finally {
      this.held = undefined;
      connection.uncork();
      for (const sent of held) sent();
    }
  }

  private sendControl(message: string, what: string): void {
    this.ws.send(message, (error) => {
      if (error) this.warn('sendFailed', `${what}: ${error.message}`);
    });
  }

  /** The gateway's first message: its handler listens now, so what was held goes out. */
  private onGreeted(): void {
    this.greeted = true;
    const held = this.heldUntilListening;
    this.heldUntilListening = [];
    for (const { message, what } of held) this.sendControl(message, what);
  }

  /** Closes the socket and resolves once it is closed; no handler is called after this. */
  close(): Promise<void> {
    this.done = true;
    this.stopIdleCheck();
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      // A gateway that does not answer the close handshake must not hold close() for ws's 30 s.
      const cancelForce = this.clock.after(1000, () => this.ws.terminate());
      this.closeWaiters.push(() => {
        cancelForce();
        resolve();
      });
      if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
      else if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    });
  }

  private onOpen(): void {
    if (this.done) return;
    this.wasOpen = true;
    this.heard = true;
    this.armIdleCheck();
    try {
      this.handlers.open();
    } catch (error) {
      this.warn('handlerError', `handling the socket's opening failed: ${messageOf(error)}`);
    }
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    this.onMessageIn?.();
    this.heard = true;
    if (this.done) return;
    if (!this.greeted) this.onGreeted();
    let message: unknown;
    try {
      message = JSON.parse(textOf(data));
    } catch {
      this.warn(
        'malformedJson',
        `a ${isBinary ? 'binary ' : ''}message from the gateway is not JSON: ${excerpt(textOf(data), 80, this.token)}`
      );
      return;
    }
    // Handlers emit to the engine's listeners: whatever they throw must not escape into ws.
    try {
      this.dispatch(message);
    } catch (error) {
      this.warn('handlerError', `handling a gateway message failed: ${messageOf(error)}`);
    }
  }

  private dispatch(message: unknown): void {
    if (!isRecord(message)) {
      this.warn(
        'malformedMessage',
        `a gateway message is not an object: ${excerpt(message, 80, this.token)}`
      );
      return;
    }
    const m = message as unknown as IncomingMessage;
    switch (m.messageType) {
      case PROPERTY_STATUS:
        return this.handlePropertyStatus(m);
      case EVENT:
        return this.handleEvent(m);
      case CONNECTED:
        return this.handleConnected(m);
      case THING_ADDED:
        return this.handleThingAdded(m);
      case THING_MODIFIED:
        return this.handleThingModified(m);
      case THING_REMOVED:
        return this.handleThingRemoved(m);
      case ERROR:
        return this.handleError(m);
      case ACTION_STATUS:
      case LAYOUT_MODIFIED:
        // The POST already told us the action was accepted; layout is the UI's business.
        return;
      default:
        this.warn(
          'unknownMessageType',
          `unknown gateway messageType ${excerpt(m.messageType, 60, this.token)}`
        );
    }
  }

  private handlePropertyStatus(m: IncomingMessage): void {
    if (typeof m.id !== 'string' || !isRecord(m.data)) return this.malformed(m);
    this.handlers.propertyStatus(m.id, m.data);
  }

  private handleEvent(m: IncomingMessage): void {
    if (typeof m.id !== 'string' || !isRecord(m.data)) return this.malformed(m);
    this.handlers.event(m.id, m.data);
  }

  private handleConnected(m: IncomingMessage): void {
    if (typeof m.id !== 'string' || typeof m.data !== 'boolean') return this.malformed(m);
    this.handlers.connected(m.id, m.data);
  }

  private handleThingAdded(m: IncomingMessage): void {
    if (typeof m.id !== 'string') return this.malformed(m);
    this.handlers.thingAdded(m.id);
  }

  private handleThingModified(m: IncomingMessage): void {
    if (typeof m.id !== 'string') return this.malformed(m);
    this.handlers.thingModified(m.id);
  }

  private handleThingRemoved(m: IncomingMessage): void {
    if (typeof m.id !== 'string') return this.malformed(m);
    this.handlers.thingRemoved(m.id);
  }

  private handleError(m: IncomingMessage): void {
    this.handlers.gatewayError(isRecord(m.data) ? (m.data as GatewayErrorData) : {});
  }

  private malformed(m: IncomingMessage): void {
    this.warn(
      'malformedMessage',
      `a gateway "${m.messageType}" message lacks a string id or its data: ${excerpt(m, 120, this.token)}`
    );
  }

  private onError(error: Error & { code?: string }): void {
    this.lastError = scrub(error.message, this.token);
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      this.warn('hugeMessage', `the gateway sent a message over the size limit; reconnecting`);
    }
    // ws always follows 'error' with 'close', where the loss is reported.
  }

  private onClose(code: number, reason: Buffer): void {
    this.stopIdleCheck();
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const done of waiters) done();
    if (this.done) return;
    this.done = true;
    const said = reason.length > 0 ? `: ${scrub(reason.toString(), this.token)}` : '';
    const why = this.lastError || `closed by the gateway (code ${code}${said})`;
    try {
      this.handlers.closed(why, this.wasOpen);
    } catch (error) {
      this.warn('handlerError', `handling the socket's closing failed: ${messageOf(error)}`);
    }
  }

  /**
   * Notices a half-open TCP connection, which never closes by itself. The gateway pings every
   * 30 s, but a quiet server need not (the simulator does not), so silence is first answered
   * with a ping of our own, and only silence after that closes the socket.
   */
  private armIdleCheck(): void {
    if (this.idleTimeoutMs <= 0) return;
    this.cancelIdle = this.clock.after(this.idleTimeoutMs, () => {
      this.cancelIdle = undefined;
      if (this.done) return;
      if (this.heard) {
        this.heard = false;
        this.probing = false;
      } else if (!this.probing) {
        this.probing = true;
        try {
          this.ws.ping();
        } catch {
          // Not open any more: its close event reports the loss.
        }
      } else {
        this.lastError = `no answer from the gateway for ${this.idleTimeoutMs} ms, not even to a ping`;
        this.ws.terminate();
        return;
      }
      this.armIdleCheck();
    });
  }

  private stopIdleCheck(): void {
    this.cancelIdle?.();
    this.cancelIdle = undefined;
  }

  private warn(kind: string, message: string): void {
    this.handlers.warning(kind, message);
  }
}

function textOf(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
