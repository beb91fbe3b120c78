/**
 * A typed event emitter whose listeners have owners: one call drops all of an owner's listeners,
 * and a listener that throws is reported with its owner and event while the others still run
 * (zigbee2mqtt's eventBus).
 */
import type { Cancel } from '../clock';

interface Entry {
  listener: (payload: never) => void;
  owner: object | undefined;
}

export type ListenerErrorHandler = (
  event: string,
  owner: object | undefined,
  error: unknown
) => void;

export class TypedEmitter<Events extends object> {
  // event name -> its listeners, in registration order
  private readonly listeners = new Map<keyof Events, Set<Entry>>();

  constructor(private readonly onListenerError: ListenerErrorHandler) {}

  /** Adds a listener, optionally owned (see `removeListeners`); returns its cancel. */
  on<K extends keyof Events>(
    event: K,
    listener: (payload: Events[K]) => void,
    owner?: object
  ): Cancel {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const entry: Entry = { listener: listener as (payload: never) => void, owner };
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  off<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): void {
    for (const entry of this.listeners.get(event) ?? []) {
      if (entry.listener === listener) this.listeners.get(event)?.delete(entry);
    }
  }

  /** Drops every listener `owner` registered, on every event. */
  removeListeners(owner: object): void {
    for (const set of this.listeners.values()) {
      for (const entry of set) if (entry.owner === owner) set.delete(entry);
    }
  }

  listenerCount<K extends keyof Events>(event: K): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return;
    for (const entry of set) {
      try {
        (entry.listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        this.onListenerError(String(event), entry.owner, error);
      }
    }
  }
}
