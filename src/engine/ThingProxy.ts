/**
 * A gateway thing as a rule sees it: read a property for its last known value, assign it to set
 * it (fire-and-forget), `await set()` for confirmation, `fadeTo`, `call`, and triggers on it.
 */
import { parseDuration } from '../clock';
import type { JsonValue, ThingDescription } from '../protocol/gateway';
import { runFade, defaultSteps, FadeOptions } from './fade';
import type { PropertyWriter, WriteOrigin } from './PropertyWriter';
import { showValue } from './sameValue';
import { EventTrigger, PropertyTrigger, ThingChangeTrigger } from './ThingTriggers';
import type { ThingStore } from './ThingStore';
import type { Clock } from '../clock';

/** The members every thing proxy has; any other name is one of the thing's properties. */
export interface ThingMembers {
  readonly id: string;
  readonly title: string;
  readonly description: ThingDescription;
  /** false while the gateway reports the device unreachable. */
  readonly connected: boolean;
  /** Every property's value as the rule sees it (a copy). */
  readonly values: Record<string, JsonValue>;
  /** A property's value (for names that clash with the members here). */
  get(property: string): JsonValue | undefined;
  /**
   * Sets a property and resolves when the gateway confirms (rejects with its error); resolves
   * at once, sending nothing, when the property already has or was already asked for `value`.
   *
   * @example await this.things.Kettle.set('on', true);
   */
  set(property: string, value: JsonValue): Promise<void>;
  /**
   * Moves a numeric property to `target` in steps over `duration`; stops when the rule stops.
   *
   * @example await this.things.Bedside_Ikea_Light.fadeTo('level', 100, '20m');
   */
  fadeTo(
    property: string,
    target: number,
    duration: string | number,
    options?: FadeOptions
  ): Promise<void>;
  /**
   * Requests one of the thing's actions.
   *
   * @example await this.things.Coffee_Maker.call('brew', { cups: 2 });
   */
  call(action: string, input?: JsonValue): Promise<void>;
  /**
   * A trigger on one property.
   *
   * @example triggers() { return [this.things.Motion_Sensor.property('motion')]; }
   */
  property(name: string): PropertyTrigger;
  /**
   * A trigger on one event.
   *
   * @example triggers() { return [this.things.Button_1.event('pressed')]; }
   */
  event(name: string): EventTrigger;
}

/** A thing: its members, and its properties by name (`thing.on`, `thing.level = 50`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- property values are whatever the device says
export type ThingProxy = ThingMembers & { [property: string]: any };

/** What a thing proxy needs from the engine, for the rule that owns it. */
export interface ThingProxyDeps {
  writer: PropertyWriter;
  store: ThingStore;
  clock: Clock;
  origin: WriteOrigin;
  /** The abort signals a fade started now listens to. */
  signals(): AbortSignal[];
  /** A fire-and-forget assignment the gateway refused. */
  assignmentFailed(error: unknown): void;
}

const HANDLE = Symbol('thing proxy');

/** Names tools probe objects with (promises, JSON, jest, util.inspect): never thing properties. */
const PROBES = new Set([
  'then',
  'toJSON',
  'asymmetricMatch',
  '$$typeof',
  'nodeType',
  'inspect',
  'constructor',
]);

export interface ThingHandle {
  thingId: string;
  /** The trigger for "any property of this thing changes". */
  changes: ThingChangeTrigger;
}

export function isThingProxy(value: unknown): value is ThingProxy {
  return typeof value === 'object' && value !== null && HANDLE in value;
}

export function handleOf(proxy: ThingProxy): ThingHandle {
  return (proxy as unknown as Record<symbol, ThingHandle>)[HANDLE];
}

export function createThingProxy(deps: ThingProxyDeps, thingId: string): ThingProxy {
  const { writer, store } = deps;
  const title = (): string => store.title(thingId);
  const thing = () => {
    const found = store.get(thingId);
    if (!found) throw new Error(`Thing "${thingId}" is no longer on the gateway`);
    return found;
  };
  const hasProperty = (name: string): boolean =>
    Object.prototype.hasOwnProperty.call(thing().description.properties, name);
  const unknownProperty = (name: string): Error =>
    new Error(
      `Unknown property: "${title()}" has no property "${name}" ` +
        `(it has ${Object.keys(thing().description.properties).join(', ') || 'none'})`
    );
  // property or event name -> its trigger, so repeated calls give the same object
  const propertyTriggers = new Map<string, PropertyTrigger>();
  const eventTriggers = new Map<string, EventTrigger>();
  const handle: ThingHandle = {
    thingId,
    changes: new ThingChangeTrigger(thingId, undefined, title),
  };

  const members: ThingMembers = {
    get id() {
      return thingId;
    },
    get title() {
      return title();
    },
    get description() {
      return thing().description;
    },
    get connected() {
      return store.get(thingId)?.connected ?? false;
    },
    get values() {
      const values: Record<string, JsonValue> = {};
      for (const name of Object.keys(thing().description.properties)) {
        const value = writer.read(thingId, name);
        if (value !== undefined) values[name] = value;
      }
      return values;
    },
    get(property) {
      if (!hasProperty(property)) throw unknownProperty(property);
      return writer.read(thingId, property);
    },
    async set(property, value) {
      await writer.write(deps.origin, thingId, property, value);
    },
    async fadeTo(property, target, duration, options = {}) {
      const description = thing().description.properties[property];
      if (!description) throw unknownProperty(property);
      if (typeof target !== 'number' || !Number.isFinite(target)) {
        throw new Error(
          `Cannot fade "${title()}" ${property} to ${showValue(target)}: not a number`
        );
      }
      const current = writer.read(thingId, property);
      const from = options.from ?? (typeof current === 'number' ? current : 0);
      const durationMs = parseDuration(duration);
      const integer = description.type === 'integer';
      const steps = options.steps ?? defaultSteps(from, target, durationMs, integer);
      if (
        options.turnOn !== false &&
        target > from &&
        hasProperty('on') &&
        writer.read(thingId, 'on') === false
      ) {
        await writer.write(deps.origin, thingId, 'on', true);
      }
      await runFade(
        { from, to: target, durationMs, steps, integer },
        deps.clock,
        deps.signals(),
        (value) => writer.write(deps.origin, thingId, property, value)
      );
    },
    call(action, input) {
      return writer.act(thingId, action, input);
    },
    property(name) {
      if (!hasProperty(name)) throw unknownProperty(name);
      let trigger = propertyTriggers.get(name);
      if (!trigger)
        propertyTriggers.set(name, (trigger = new PropertyTrigger(thingId, name, title)));
      return trigger;
    },
    event(name) {
      const events = thing().description.events ?? {};
      if (!Object.prototype.hasOwnProperty.call(events, name)) {
        throw new Error(
          `Unknown event: "${title()}" has no event "${name}" (it has ${Object.keys(events).join(', ') || 'none'})`
        );
      }
      let trigger = eventTriggers.get(name);
      if (!trigger) eventTriggers.set(name, (trigger = new EventTrigger(thingId, name, title)));
      return trigger;
    },
  };

  return new Proxy(members as ThingProxy, {
    get(target, key) {
      if (key === HANDLE) return handle;
      if (typeof key === 'symbol') return undefined;
      if (key === 'toString') return () => `Thing "${title()}"`;
      if (key in members) return Reflect.get(target, key);
      if (PROBES.has(key)) return undefined;
      if (!hasProperty(key)) throw unknownProperty(key);
      return writer.read(thingId, key);
    },
    set(_target, key, value) {
      if (typeof key === 'symbol' || key in members) {
        throw new TypeError(`"${String(key)}" of thing "${title()}" cannot be assigned`);
      }
      const sent = writer.write(deps.origin, thingId, key, value as JsonValue);
      sent?.catch((error: unknown) => deps.assignmentFailed(error));
      return true;
    },
    has(_target, key) {
      return key === HANDLE || (typeof key === 'string' && (key in members || hasProperty(key)));
    },
  });
}
