/**
 * The gateway's Web Thing protocol as every part sees it: thing descriptions and values, and the
 * connection the engine needs from a gateway, with nothing of how it is reached. The Web Thing API
 * client (src/webthing) and the simulator (src/simulator) implement it; the engine uses it. It
 * imports nothing of ours, so none of them depends on another through it.
 */
import { EventEmitter } from 'events';

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface Form {
  href: string;
  op?: string | string[];
}

export interface PropertyDescription {
  title?: string;
  description?: string;
  type?: 'boolean' | 'number' | 'integer' | 'string' | 'object' | 'array' | 'null';
  '@type'?: string;
  unit?: string;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  enum?: JsonValue[];
  readOnly?: boolean;
  forms?: Form[];
  links?: { href: string; rel?: string }[];
}

export interface ActionDescription {
  title?: string;
  description?: string;
  '@type'?: string;
  input?: Record<string, unknown>;
  forms?: Form[];
  links?: { href: string; rel?: string }[];
}

export interface EventDescription {
  title?: string;
  description?: string;
  '@type'?: string;
  type?: string;
  unit?: string;
  forms?: Form[];
  links?: { href: string; rel?: string }[];
}

/** A thing description as the gateway's `GET /things` returns it (the parts we use). */
export interface ThingDescription {
  /** The thing's id: the last segment of its href ("virtual-things-0"). */
  id: string;
  title: string;
  href?: string;
  '@context'?: string | string[];
  '@type'?: string[];
  description?: string;
  properties: Record<string, PropertyDescription>;
  actions?: Record<string, ActionDescription>;
  events?: Record<string, EventDescription>;
  forms?: Form[];
  links?: { href: string; rel?: string }[];
}

/** A thing with its last known property values. */
export interface ThingState {
  description: ThingDescription;
  values: Record<string, JsonValue>;
  /** false while the gateway reports the device disconnected. */
  connected: boolean;
}

export type ConnectionState =
  { state: 'connecting' } | { state: 'up' } | { state: 'down'; since: number; reason: string };

/** Events every GatewayConnection emits; payloads are plain data (they cross worker boundaries). */
export interface GatewayEvents {
  propertyChanged: { thingId: string; name: string; value: JsonValue };
  event: { thingId: string; name: string; data: JsonValue | undefined };
  thingAdded: ThingState;
  thingModified: ThingState;
  thingRemoved: { thingId: string };
  thingConnected: { thingId: string; connected: boolean };
  connection: ConnectionState;
  /** Problems worth a log line that are not failures of a call (bad message, unknown thing). */
  warning: { kind: string; message: string };
}

export interface GatewayConnection {
  /** Reads every thing and its values and starts listening; resolves when `things()` is complete. */
  connect(): Promise<void>;
  /** Stops listening and releases sockets and timers. */
  close(): Promise<void>;
  /** Every known thing with its last known values. */
  things(): ThingState[];
  /** Resolves when the gateway confirms; rejects with an Error naming thing, property and value. */
  setProperty(thingId: string, name: string, value: JsonValue): Promise<void>;
  /** Resolves when the gateway accepts the request. */
  requestAction(thingId: string, name: string, input?: JsonValue): Promise<void>;
  /** Runs `fn`; where the connection can, the writes it makes leave together when it returns. */
  together?<T>(fn: () => T): T;
  on<K extends keyof GatewayEvents>(event: K, listener: (payload: GatewayEvents[K]) => void): this;
  off<K extends keyof GatewayEvents>(event: K, listener: (payload: GatewayEvents[K]) => void): this;
}

/** An EventEmitter whose events and payloads are checked: one payload object per event. */
export class PayloadEmitter<Events extends object> extends EventEmitter {
  override emit<K extends keyof Events & string>(event: K, payload: Events[K]): boolean {
    return super.emit(event, payload);
  }
  override on<K extends keyof Events & string>(
    event: K,
    listener: (payload: Events[K]) => void
  ): this {
    return super.on(event, listener);
  }
  override off<K extends keyof Events & string>(
    event: K,
    listener: (payload: Events[K]) => void
  ): this {
    return super.off(event, listener);
  }
}

/** A typed EventEmitter for implementations of GatewayConnection. */
export class GatewayEmitter extends PayloadEmitter<GatewayEvents> {}
