/**
 * The gateway's things as last known, kept in step with it: a REST snapshot merged in on each
 * (re)connect, the WebSocket's messages applied as they come, a thing read again when the gateway
 * says it was added or modified. Each real change is emitted once as the engine's event.
 */
import type { GatewayEvents, JsonValue, ThingDescription, ThingState } from '../protocol/gateway';
import type { Snapshot, ThingReader } from './ThingReader';
import { messageOf } from './errors';
import { badValueMessage, fitsType, isRecord, sameValue } from './values';

/** What the mirror asks of its client. */
export interface MirrorOwner {
  emit<K extends keyof GatewayEvents & string>(event: K, payload: GatewayEvents[K]): unknown;
  warn(kind: string, message: string): void;
  readonly isClosed: boolean;
  /** A thing's events are wanted on the WebSocket (a thing read again may have new ones). */
  subscribeEvents(thing: ThingState): void;
}

export class ThingMirror {
  // thing id -> its description, last known values and reachability (the objects things() hands out)
  private readonly thingsById = new Map<string, ThingState>();
  // ids of things whose values could not be read; read again when the gateway says they connected
  private readonly incomplete = new Set<string>();
  // thing id -> the re-read of its description in progress (thingAdded, thingModified), chained in order
  private readonly reloads = new Map<string, Promise<void>>();
  // thing id -> removals seen while a re-read of it was pending; a re-read that spans one is dropped
  private readonly removals = new Map<string, number>();

  constructor(
    private readonly reader: ThingReader,
    private readonly base: URL,
    private readonly owner: MirrorOwner
  ) {}

  get(id: string): ThingState | undefined {
    return this.thingsById.get(id);
  }

  all(): ThingState[] {
    return Array.from(this.thingsById.values());
  }

  /** Brings the known things in line with a snapshot, emitting what changed while we were away. */
  applySnapshot(snapshot: Snapshot, initial: boolean): void {
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
      if (!initial) this.owner.emit('thingAdded', fresh);
    }
    for (const id of this.thingsById.keys()) {
      if (seen.has(id)) continue;
      this.thingsById.delete(id);
      this.incomplete.delete(id);
      this.owner.emit('thingRemoved', { thingId: id });
    }
  }

  /** `propertyStatus`: one propertyChanged per property whose value really changed. */
  propertyStatus(id: string, data: Record<string, unknown>): void {
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
        this.owner.warn(
          'unknownProperty',
          `"${thing.description.title}" has no property "${name}"`
        );
        continue;
      }
      const value = data[name];
      if (!fitsType(properties[name].type, value)) {
        this.owner.warn('badValue', badValueMessage(thing.description, name, value));
        continue;
      }
      const old = values[name];
      // The gateway repeats every value when a socket opens; only real changes are changes.
      if (old === value || (typeof value === 'object' && sameValue(old, value))) continue;
      values[name] = value;
      this.owner.emit('propertyChanged', { thingId: id, name, value });
    }
  }

  /** `event`: data is `{ <name>: { data, timestamp } }`. */
  event(id: string, data: Record<string, unknown>): void {
    if (!this.thingsById.has(id)) {
      this.warnUnknownThing(id, 'event');
      return;
    }
    for (const name in data) {
      const description = data[name];
      const payload = isRecord(description)
        ? (description.data as JsonValue | undefined)
        : undefined;
      this.owner.emit('event', { thingId: id, name, data: payload });
    }
  }

  /** `connected`: the device's reachability; a thing that comes back gets the values we missed. */
  connected(id: string, connected: boolean): void {
    const thing = this.thingsById.get(id);
    if (thing === undefined) {
      this.warnUnknownThing(id, 'connected');
      return;
    }
    if (thing.connected !== connected) {
      thing.connected = connected;
      this.owner.emit('thingConnected', { thingId: id, connected });
    }
    if (connected && this.incomplete.has(id)) this.reload(id);
  }

  /** `thingRemoved`. */
  removed(id: string): void {
    if (this.reloads.has(id)) this.removals.set(id, (this.removals.get(id) ?? 0) + 1);
    if (!this.thingsById.delete(id)) return;
    this.incomplete.delete(id);
    this.owner.emit('thingRemoved', { thingId: id });
  }

  /**
   * Re-reads one thing's description and values, after the ones asked for before it
   * (`thingAdded` and `thingModified` carry only the id).
   */
  reload(id: string): void {
    const previous = this.reloads.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => this.reloadThing(id))
      .catch((error: unknown) => {
        if (!this.owner.isClosed) {
          this.owner.warn(
            'reloadFailed',
            `could not read thing "${id}" again: ${messageOf(error)}`
          );
        }
      })
      .then(() => {
        if (this.reloads.get(id) === next) this.reloads.delete(id);
      });
    this.reloads.set(id, next);
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
    if (modified) this.owner.emit('thingModified', current);
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
      this.owner.emit('propertyChanged', { thingId: id, name, value });
    }
  }

  private async reloadThing(id: string): Promise<void> {
    if (this.owner.isClosed) return;
    const removals = this.removals.get(id);
    const known = this.thingsById.get(id);
    const href = known?.description.href;
    // A new thing has no description yet to take an href from; the Web Thing API puts it under /things.
    const url = href
      ? new URL(href, this.base)
      : new URL(`things/${encodeURIComponent(id)}`, this.base);
    const read = await this.reader.readThing(url);
    if (!read) return;
    const { description, values, complete } = read;
    // Removed while we read it: what we read is already out of date.
    if (this.owner.isClosed || this.removals.get(id) !== removals) return;
    const current = this.thingsById.get(description.id);
    if (current) {
      this.merge(current, description, values, complete);
      this.owner.subscribeEvents(current);
      return;
    }
    const state: ThingState = { description, values, connected: true };
    this.thingsById.set(description.id, state);
    if (!complete) this.incomplete.add(description.id);
    this.owner.emit('thingAdded', state);
    this.owner.subscribeEvents(state);
  }

  private warnUnknownThing(id: string, messageType: string): void {
    // A thing being read after thingAdded is not unknown, just not ready.
    if (this.reloads.has(id)) return;
    this.owner.warn(
      'unknownThing',
      `a "${messageType}" message names thing "${id}", which the gateway did not list`
    );
  }
}
