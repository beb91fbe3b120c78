/** One gateway WebSocket (`/things` or `/things/<id>`) over a SimulatedHome, speaking the gateway's messages. */
import WebSocket from 'ws';
import { JsonValue } from '../protocol/gateway';
import { HomeEvents } from './HomeEvents';
import { SimulatedHome } from './SimulatedHome';

type Listeners = { [K in keyof HomeEvents]: (payload: HomeEvents[K]) => void };

interface Outgoing {
  messageType: string;
  id?: string;
  data: JsonValue;
}

function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class ThingSocket {
  // event names this socket asked for with addEventSubscription (the gateway keys them by name only)
  private readonly subscribedEvents = new Set<string>();
  private readonly listeners: Listeners;

  /** @param thingId the one thing of a `/things/<id>` socket; undefined for the multiplexed `/things`. */
  constructor(
    private readonly socket: WebSocket,
    private readonly home: SimulatedHome,
    private readonly thingId?: string
  ) {
    this.listeners = {
      propertyChanged: ({ thingId: id, name, value }) =>
        this.sendFor(id, { id, messageType: 'propertyStatus', data: { [name]: value } }),
      event: ({ thingId: id, name, data, timestamp }) => {
        if (!this.subscribedEvents.has(name)) return;
        const description: Record<string, JsonValue> = { timestamp };
        if (data !== undefined) description.data = data;
        this.sendFor(id, { id, messageType: 'event', data: { [name]: description } });
      },
      actionStatus: ({ thingId: id, action }) => {
        const { href, status, timeRequested, timeCompleted } = action;
        const description: Record<string, JsonValue> = { href, status, timeRequested };
        if (timeCompleted) description.timeCompleted = timeCompleted;
        this.sendFor(id, { id, messageType: 'actionStatus', data: { [action.name]: description } });
      },
      thingAdded: ({ thingId: id }) => {
        if (this.thingId !== undefined) return;
        this.send({ id, messageType: 'thingAdded', data: {} });
        this.greet([id]);
      },
      thingModified: ({ thingId: id }) =>
        this.sendFor(id, { id, messageType: 'thingModified', data: {} }),
      thingRemoved: ({ thingId: id }) => {
        // A per-thing socket has nothing left to report, so the gateway closes it.
        if (this.thingId === id) this.socket.close();
        else if (this.thingId === undefined)
          this.send({ id, messageType: 'thingRemoved', data: {} });
      },
      connected: ({ thingId: id, connected }) =>
        this.sendFor(id, { id, messageType: 'connected', data: connected }),
    };
  }

  /** Greets the client with each thing's state and starts following the home. */
  start(): void {
    // Without an error listener a broken connection would throw inside the server.
    this.socket.on('error', () => this.subscribe(false));
    if (this.thingId !== undefined && !this.home.has(this.thingId)) {
      this.sendError(404, `Thing ${this.thingId} not found`);
      this.socket.close();
      return;
    }
    this.subscribe(true);
    this.socket.on('message', (data) => this.receive(data.toString()));
    this.socket.on('close', () => this.subscribe(false));
    this.greet(this.thingId === undefined ? this.home.thingIds() : [this.thingId]);
  }

  /** As the gateway: every thing's `connected` first, then one `propertyStatus` per property. */
  private greet(thingIds: string[]): void {
    for (const id of thingIds) {
      this.send({ id, messageType: 'connected', data: this.home.isConnected(id) });
    }
    for (const id of thingIds) {
      for (const [name, value] of Object.entries(this.home.values(id))) {
        this.send({ id, messageType: 'propertyStatus', data: { [name]: value } });
      }
    }
  }

  private receive(text: string): void {
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      return this.sendError(400, 'Parsing request failed');
    }
    if (!isRecord(request)) return this.sendError(400, 'Parsing request failed');
    const id = typeof request.id === 'string' ? request.id : this.thingId;
    if (id === undefined) return this.sendError(400, 'Missing thing id', request);
    if (!this.home.has(id)) return this.sendError(400, `Thing ${id} not found`, request);
    const data = isRecord(request.data) ? request.data : {};
    switch (request.messageType) {
      case 'setProperty':
        return this.setProperties(id, data, request);
      case 'addEventSubscription':
        for (const name of Object.keys(data)) this.subscribedEvents.add(name);
        return;
      case 'requestAction':
        for (const [name, params] of Object.entries(data)) {
          const input = isRecord(params) ? params.input : undefined;
          this.attempt(request, () => this.home.requestAction(id, name, input));
        }
        return;
      default:
        return this.sendError(400, `Unknown messageType: ${String(request.messageType)}`, request);
    }
  }

  private setProperties(id: string, data: Record<string, JsonValue>, request: JsonValue): void {
    for (const [name, value] of Object.entries(data)) {
      this.attempt(request, () => this.home.writeProperty(id, name, value));
    }
  }

  /** Runs a client's request; a refusal becomes an `error` message naming thing, property and value. */
  private attempt(request: JsonValue, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.sendError(400, (error as Error).message, request);
    }
  }

  private sendError(code: number, message: string, request?: JsonValue): void {
    const status = code === 404 ? '404 Not Found' : '400 Bad Request';
    const data = { code, status, message, ...(request === undefined ? {} : { request }) };
    this.send({ messageType: 'error', data });
  }

  private sendFor(thingId: string, message: Outgoing): void {
    if (this.thingId === undefined || this.thingId === thingId) this.send(message);
  }

  private send(message: Outgoing): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    // A failed send means the socket is going away; its close handler cleans up.
    this.socket.send(JSON.stringify(message), () => undefined);
  }

  private subscribe(on: boolean): void {
    // HomeEmitter's typed signatures cannot follow a loop over keys; the map above is typed instead.
    const home = this.home as NodeJS.EventEmitter;
    for (const [event, listener] of Object.entries(this.listeners)) {
      home.off(event, listener);
      if (on) home.on(event, listener);
    }
  }
}
