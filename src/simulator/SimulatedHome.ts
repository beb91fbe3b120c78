/** An in-memory home of web things: descriptions and values, validated writes, events, buttons; no I/O. */
import Property from 'webthing/lib/property';
import Thing from 'webthing/lib/thing';
import type { Subscriber } from 'webthing/lib/types';
import Value from 'webthing/lib/value';
import { Clock, RealClock } from '../clock';
import {
  ActionDescription,
  EventDescription,
  JsonValue,
  PropertyDescription,
  ThingDescription,
} from '../protocol/gateway';
import { ActionRecord, HomeEmitter } from './HomeEvents';
import {
  invalidValue,
  readOnly,
  SimulatorError,
  unknownMember,
  unknownThing,
} from './SimulatorError';
import { validateValue } from './validateValue';

export interface PropertySpec extends PropertyDescription {
  /** The value the device starts with. */
  value: JsonValue;
}

/** A thing as a device would announce it: its description and its starting values. */
export interface ThingSpec {
  /** Stable id, the last segment of `/things/<id>`. */
  id: string;
  title: string;
  '@type'?: string[];
  description?: string;
  properties?: Record<string, PropertySpec>;
  actions?: Record<string, ActionDescription>;
  events?: Record<string, EventDescription>;
}

interface Entry {
  spec: ThingSpec;
  /** webthing's model holds the current values; its Value emits only real changes, as devices do. */
  thing: Thing;
  // property name -> its webthing Value, through which writes reach the model
  values: Map<string, Value<JsonValue>>;
  connected: boolean;
}

/**
 * webthing's Thing, minus the propertyStatus JSON it builds on every change for its WebSocket
 * subscribers when there are none: the simulator serves its own sockets (SimulatorServer), and a
 * soak test's week of a two-second rainbow makes millions of changes.
 */
class ModelThing extends Thing {
  // the same set as webthing's own, which it keeps private
  private readonly listening = new Set<Subscriber>();

  override addSubscriber(ws: Subscriber): void {
    super.addSubscriber(ws);
    this.listening.add(ws);
  }

  override removeSubscriber(ws: Subscriber): void {
    super.removeSubscriber(ws);
    this.listening.delete(ws);
  }

  override propertyNotify(property: Property): void {
    if (this.listening.size > 0) super.propertyNotify(property);
  }
}

// The JSON-schema part of a description, which is all webthing's ajv validator accepts.
const SCHEMA_KEYS = ['type', 'minimum', 'maximum', 'multipleOf', 'enum', 'readOnly'] as const;

export class SimulatedHome extends HomeEmitter {
  // thing id -> entry; insertion order is the order of GET /things
  private readonly entries = new Map<string, Entry>();
  private actionCount = 0;

  constructor(
    things: ThingSpec[] = [],
    private readonly clock: Clock = new RealClock('UTC')
  ) {
    super();
    for (const spec of things) this.addThing(spec);
  }

  /** Adds a thing (as when a device is paired); throws if the id is taken or a start value is invalid. */
  addThing(spec: ThingSpec): void {
    if (!spec.id || this.entries.has(spec.id)) {
      throw new SimulatorError('duplicate-thing', `Duplicate thing id: "${spec.id}"`, spec.id);
    }
    const copy = JSON.parse(JSON.stringify(spec)) as ThingSpec;
    const thing = new ModelThing(copy.id, copy.title, copy['@type'] ?? [], copy.description ?? '');
    const values = new Map<string, Value<JsonValue>>();
    for (const [name, property] of Object.entries(copy.properties ?? {})) {
      const reason = validateValue(property, property.value);
      if (reason) throw invalidValue(copy, name, property.value, reason);
      const value = new Value<JsonValue>(property.value);
      thing.addProperty(new Property(thing, name, value, schemaOf(property)));
      values.set(name, value);
      value.on('update', (v: JsonValue) => {
        this.emit('propertyChanged', { thingId: copy.id, name, value: v });
      });
    }
    this.entries.set(copy.id, { spec: copy, thing, values, connected: true });
    this.emit('thingAdded', { thingId: copy.id });
  }

  /** Removes a thing (as when it is unpaired). */
  removeThing(thingId: string): void {
    this.entry(thingId);
    this.entries.delete(thingId);
    this.emit('thingRemoved', { thingId });
  }

  /** Renames a thing, which the gateway reports as `thingModified`. */
  renameThing(thingId: string, title: string): void {
    this.entry(thingId).spec.title = title;
    this.emit('thingModified', { thingId });
  }

  thingIds(): string[] {
    return [...this.entries.keys()];
  }

  has(thingId: string): boolean {
    return this.entries.has(thingId);
  }

  /** The id of the thing with this id or title, or undefined. */
  find(idOrTitle: string): string | undefined {
    if (this.entries.has(idOrTitle)) return idOrTitle;
    return [...this.entries.values()].find((e) => e.spec.title === idOrTitle)?.spec.id;
  }

  /** The thing's description without hrefs (see gatewayDescription for the wire form). */
  describe(thingId: string): ThingDescription {
    const { spec } = this.entry(thingId);
    const properties: Record<string, PropertyDescription> = {};
    for (const [name, property] of Object.entries(spec.properties ?? {})) {
      const description: Partial<PropertySpec> = { ...property };
      delete description.value;
      properties[name] = description;
    }
    return JSON.parse(
      JSON.stringify({
        id: spec.id,
        title: spec.title,
        '@type': spec['@type'] ?? [],
        description: spec.description,
        properties,
        actions: spec.actions ?? {},
        events: spec.events ?? {},
      })
    ) as ThingDescription;
  }

  getProperty(thingId: string, name: string): JsonValue {
    this.property(thingId, name);
    return this.entry(thingId).thing.getProperty(name) as JsonValue;
  }

  values(thingId: string): Record<string, JsonValue> {
    return this.entry(thingId).thing.getProperties() as Record<string, JsonValue>;
  }

  isConnected(thingId: string): boolean {
    return this.entry(thingId).connected;
  }

  /** Marks a device (un)reachable, which the gateway reports as a `connected` message. */
  setConnected(thingId: string, connected: boolean): void {
    const entry = this.entry(thingId);
    if (entry.connected === connected) return;
    entry.connected = connected;
    this.emit('connected', { thingId, connected });
  }

  /** Sets a value as the device itself would (a sensor reading): read-only properties included. */
  setProperty(thingId: string, name: string, value: JsonValue): void {
    this.check(thingId, name, value, false);
    this.store(thingId, name, value);
  }

  /** Sets a value as a client of the gateway asks it to: read-only properties are refused. */
  writeProperty(thingId: string, name: string, value: JsonValue): void {
    this.check(thingId, name, value, true);
    this.store(thingId, name, value);
  }

  /** Writes several properties at once; nothing changes unless every value is valid. */
  writeProperties(thingId: string, values: Record<string, JsonValue>): void {
    for (const [name, value] of Object.entries(values)) this.check(thingId, name, value, true);
    for (const [name, value] of Object.entries(values)) this.store(thingId, name, value);
  }

  /** Emits an event the thing declares (a button's `pressed`). */
  emitEvent(thingId: string, name: string, data?: JsonValue): void {
    const { spec } = this.entry(thingId);
    if (!spec.events?.[name]) {
      throw unknownMember('event', spec, name, Object.keys(spec.events ?? {}));
    }
    const timestamp = this.clock.now().toUTC().toISO() ?? '';
    this.emit('event', { thingId, name, data, timestamp });
  }

  /** Presses a button, found by id or title: emits its `pressed` event. */
  press(idOrTitle: string): void {
    const thingId = this.find(idOrTitle);
    if (!thingId) throw unknownThing(idOrTitle);
    this.emitEvent(thingId, 'pressed');
  }

  /** Accepts an action request: reports it pending now and completed a microtask later. */
  requestAction(thingId: string, name: string, input?: JsonValue): ActionRecord {
    const { spec } = this.entry(thingId);
    const description = spec.actions?.[name];
    if (!description) {
      throw unknownMember('action', spec, name, Object.keys(spec.actions ?? {}));
    }
    if (description.input && input !== undefined) {
      const reason = validateValue(description.input as PropertyDescription, input);
      if (reason) throw invalidValue(spec, name, input, reason, 'action');
    }
    const id = String(++this.actionCount);
    const action: ActionRecord = {
      id,
      name,
      ...(input === undefined ? {} : { input }),
      status: 'pending',
      href: `/things/${thingId}/actions/${name}/${id}`,
      timeRequested: this.clock.now().toUTC().toISO() ?? '',
    };
    this.emit('actionStatus', { thingId, action: { ...action } });
    queueMicrotask(() => {
      if (!this.entries.has(thingId)) return;
      action.status = 'completed';
      action.timeCompleted = this.clock.now().toUTC().toISO() ?? '';
      this.emit('actionStatus', { thingId, action: { ...action } });
    });
    return action;
  }

  private entry(thingId: string): Entry {
    const entry = this.entries.get(thingId);
    if (!entry) throw unknownThing(thingId);
    return entry;
  }

  private property(thingId: string, name: string): PropertySpec {
    const { spec } = this.entry(thingId);
    const property = spec.properties?.[name];
    if (!property || !Object.prototype.hasOwnProperty.call(spec.properties, name)) {
      throw unknownMember('property', spec, name, Object.keys(spec.properties ?? {}));
    }
    return property;
  }

  private check(thingId: string, name: string, value: JsonValue, asClient: boolean): void {
    const property = this.property(thingId, name);
    const { spec } = this.entry(thingId);
    if (asClient && property.readOnly) {
      throw readOnly(spec, name, value);
    }
    const reason = validateValue(property, value);
    if (reason) throw invalidValue(spec, name, value, reason);
  }

  private store(thingId: string, name: string, value: JsonValue): void {
    // notifyOfExternalUpdate stores the value and emits 'update' only if it differs.
    this.entry(thingId).values.get(name)?.notifyOfExternalUpdate(value);
  }
}

function schemaOf(property: PropertySpec): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  for (const key of SCHEMA_KEYS) if (property[key] !== undefined) schema[key] = property[key];
  return schema;
}
