/** A GatewayConnection wired in-process to a SimulatedHome: no sockets, for unit tests on a virtual clock and dry runs. */
import { Clock, RealClock } from '../clock';
import {
  GatewayConnection,
  GatewayEmitter,
  GatewayEvents,
  JsonValue,
  ThingState,
} from '../protocol/gateway';
import { gatewayDescription } from './gatewayDescription';
import { HomeEvents } from './HomeEvents';
import { SimulatedHome } from './SimulatedHome';
import { showValue, SimulatorError } from './SimulatorError';

type Listeners = { [K in keyof HomeEvents]: (payload: HomeEvents[K]) => void };

export class LocalGateway extends GatewayEmitter implements GatewayConnection {
  // thing id -> last known state, updated only as events are delivered, like a real client's cache
  private readonly cache = new Map<string, ThingState>();
  private status: 'idle' | 'up' | 'down' | 'closed' = 'idle';
  /** Deliveries caused by a setProperty call, released only after its promise has resolved. */
  private held: (() => void)[] | null = null;
  private readonly homeListeners: Listeners;

  constructor(
    readonly home: SimulatedHome,
    private readonly clock: Clock = new RealClock('UTC')
  ) {
    super();
    this.homeListeners = {
      propertyChanged: ({ thingId, name, value }) =>
        this.deliver(() => {
          const state = this.cache.get(thingId);
          if (state) state.values[name] = value;
          this.publish('propertyChanged', { thingId, name, value });
        }),
      event: ({ thingId, name, data }) =>
        this.deliver(() => this.publish('event', { thingId, name, data })),
      actionStatus: () => undefined,
      thingAdded: ({ thingId }) => this.deliverState('thingAdded', this.snapshot(thingId)),
      thingModified: ({ thingId }) => this.deliverState('thingModified', this.snapshot(thingId)),
      thingRemoved: ({ thingId }) =>
        this.deliver(() => {
          this.cache.delete(thingId);
          this.publish('thingRemoved', { thingId });
        }),
      connected: ({ thingId, connected }) =>
        this.deliver(() => {
          const state = this.cache.get(thingId);
          if (state) state.connected = connected;
          this.publish('thingConnected', { thingId, connected });
        }),
    };
  }

  async connect(): Promise<void> {
    if (this.status === 'up') return;
    this.subscribe(true);
    this.refresh();
    this.status = 'up';
    this.deliver(() => this.publish('connection', { state: 'up' }));
  }

  async close(): Promise<void> {
    this.subscribe(false);
    this.status = 'closed';
  }

  things(): ThingState[] {
    return [...this.cache.values()].map(copyState);
  }

  setProperty(thingId: string, name: string, value: JsonValue): Promise<void> {
    const held: (() => void)[] = [];
    this.held = held;
    try {
      this.assertUp(() => `set "${thingId}" property "${name}" to ${showValue(value)}`);
      this.home.writeProperty(thingId, name, value);
    } catch (error) {
      return Promise.reject(error);
    } finally {
      this.held = null;
    }
    const done = Promise.resolve();
    // Queued behind the caller's `await done`, so the caller resumes before listeners hear of it.
    void done.then(() => queueMicrotask(() => held.forEach((fn) => fn())));
    return done;
  }

  async requestAction(thingId: string, name: string, input?: JsonValue): Promise<void> {
    this.assertUp(() => `request action "${name}" of "${thingId}"`);
    this.home.requestAction(thingId, name, input);
  }

  /** Simulates losing the gateway: calls reject and events are lost until `restoreConnection`. */
  dropConnection(reason = 'connection lost'): void {
    if (this.status !== 'up') return;
    this.subscribe(false);
    this.status = 'down';
    const since = this.clock.nowMs();
    this.deliver(() => this.publish('connection', { state: 'down', since, reason }));
  }

  /** Reconnects after `dropConnection`, reporting what changed meanwhile as a real client would. */
  restoreConnection(): void {
    if (this.status !== 'down') return;
    const before = new Map(this.cache);
    this.subscribe(true);
    this.refresh();
    this.status = 'up';
    for (const [thingId, state] of this.cache) {
      const old = before.get(thingId);
      if (!old) {
        this.deliverState('thingAdded', state);
        continue;
      }
      for (const [name, value] of Object.entries(state.values)) {
        if (JSON.stringify(old.values[name]) !== JSON.stringify(value)) {
          this.deliver(() => this.publish('propertyChanged', { thingId, name, value }));
        }
      }
    }
    for (const thingId of before.keys()) {
      if (!this.cache.has(thingId)) this.deliver(() => this.publish('thingRemoved', { thingId }));
    }
    this.deliver(() => this.publish('connection', { state: 'up' }));
  }

  /** `what` is a function: the message is built only when it is thrown, not on every write. */
  private assertUp(what: () => string): void {
    if (this.status === 'up') return;
    throw new SimulatorError(
      'disconnected',
      `Gateway unreachable: cannot ${what()} (${this.status})`
    );
  }

  private subscribe(on: boolean): void {
    // HomeEmitter's typed signatures cannot follow a loop over keys; the map above is typed instead.
    const home = this.home as NodeJS.EventEmitter;
    for (const [event, listener] of Object.entries(this.homeListeners)) {
      home.off(event, listener);
      if (on) home.on(event, listener);
    }
  }

  private refresh(): void {
    this.cache.clear();
    for (const thingId of this.home.thingIds()) this.cache.set(thingId, this.snapshot(thingId));
  }

  private snapshot(thingId: string): ThingState {
    return {
      description: gatewayDescription(this.home, thingId),
      values: this.home.values(thingId),
      connected: this.home.isConnected(thingId),
    };
  }

  private deliverState(event: 'thingAdded' | 'thingModified', state: ThingState): void {
    this.deliver(() => {
      this.cache.set(state.description.id, state);
      this.publish(event, copyState(state));
    });
  }

  /** Events reach listeners asynchronously, as they would arrive over a socket. */
  private deliver(fn: () => void): void {
    if (this.held) this.held.push(fn);
    else queueMicrotask(fn);
  }

  /** A throwing listener becomes a warning instead of an uncaught exception in a microtask. */
  private publish<K extends keyof GatewayEvents>(event: K, payload: GatewayEvents[K]): void {
    if (this.status === 'closed') return;
    try {
      this.emit(event, payload);
    } catch (error) {
      if (event === 'warning') return;
      const message = `A listener of "${event}" threw: ${(error as Error)?.message ?? error}`;
      this.publish('warning', { kind: 'listener', message });
    }
  }
}

function copyState(state: ThingState): ThingState {
  return JSON.parse(JSON.stringify(state)) as ThingState;
}
