/**
 * The one path from a rule to the gateway: checks the property, skips a value already known or
 * asked for, notes the write as in flight (for echo suppression and the loop guard), and sends it.
 */
import type { Clock } from '../clock';
import type { GatewayConnection, JsonValue } from '../protocol/gateway';
import { ECHO_WAIT_MS, InFlight, InFlightWrites, LATE_REPORT_MS } from './InFlightWrites';
import type { Cause } from './LoopGuard';
import { currentRun } from './Run';
import { sameValue, showValue } from './sameValue';
import type { StoredThing, ThingStore } from './ThingStore';

/** The rule on whose behalf a write is made. */
export interface WriteOrigin {
  readonly ruleId: string;
  /** The cause of a write made outside any run (a timer the rule armed itself). */
  idleCause(): Cause;
  /** Told before each write with the value it replaces (a While rule records it to restore later). */
  beforeWrite(thingId: string, name: string, previous: JsonValue | undefined): void;
}

export class PropertyWriter {
  constructor(
    private readonly gateway: GatewayConnection,
    private readonly store: ThingStore,
    private readonly inFlight: InFlightWrites,
    private readonly clock: Clock
  ) {}

  /** Runs rule code `fn`; the writes it makes reach the gateway together when it returns. */
  together<T>(fn: () => T): T {
    return this.gateway.together ? this.gateway.together(fn) : fn();
  }

  /** The value a rule sees: the one asked for if a write is in flight, else the last known one. */
  read(thingId: string, name: string): JsonValue | undefined {
    const pending = this.inFlight.latest(thingId, name, this.clock.nowMs());
    return pending ? pending.value : this.store.get(thingId)?.values[name];
  }

  /**
   * Sets a property; resolves when the gateway confirms. Returns undefined (sending nothing)
   * when the value is the one already known or asked for. Throws at once for a thing that is
   * gone, an unknown or read-only property.
   */
  write(
    origin: WriteOrigin,
    thingId: string,
    name: string,
    value: JsonValue
  ): Promise<void> | undefined {
    const thing = this.store.get(thingId);
    checkWritable(thingId, thing, name, value);
    const now = this.clock.nowMs();
    const pending = this.inFlight.latest(thingId, name, now);
    const previous = thing.values[name];
    if (sameValue(pending ? pending.value : previous, value)) return undefined;
    origin.beforeWrite(thingId, name, previous);
    const run = currentRun.getStore();
    run?.changes?.push(
      `${thing.description.title} ${name} ${showValue(previous)} → ${showValue(value)}`
    );
    const write: InFlight = {
      value,
      origin,
      cause: run ? run.cause : origin.idleCause(),
      expiresAt: now + ECHO_WAIT_MS,
      reportBy: now + LATE_REPORT_MS,
      confirmed: false,
    };
    // Noted before sending: an in-process gateway may echo before setProperty returns.
    this.inFlight.add(thingId, name, write);
    let sent: Promise<void>;
    try {
      sent = this.gateway.setProperty(thingId, name, value);
    } catch (error) {
      sent = Promise.reject(error);
    }
    return sent.then(
      () => this.inFlight.confirmed(write, this.clock.nowMs()),
      (error: unknown) => {
        this.inFlight.drop(thingId, name, write);
        throw error;
      }
    );
  }

  /** Requests an action; resolves when the gateway accepts it. */
  async act(thingId: string, name: string, input?: JsonValue): Promise<void> {
    const thing = this.store.get(thingId);
    if (!thing) throw new Error(`Cannot request action "${name}": thing "${thingId}" is gone`);
    const actions = thing.description.actions ?? {};
    if (!Object.prototype.hasOwnProperty.call(actions, name)) {
      throw new Error(
        `Unknown action: "${thing.description.title}" has no action "${name}" ` +
          `(it has ${Object.keys(actions).join(', ') || 'none'})`
      );
    }
    await this.gateway.requestAction(thingId, name, input);
  }
}

function checkWritable(
  thingId: string,
  thing: StoredThing | undefined,
  name: string,
  value: JsonValue
): asserts thing is StoredThing {
  if (!thing) {
    throw new Error(`Cannot set "${thingId}" ${name} to ${showValue(value)}: the thing is gone`);
  }
  const properties = thing.description.properties;
  const title = thing.description.title;
  if (!Object.prototype.hasOwnProperty.call(properties, name)) {
    throw new Error(
      `Unknown property: "${title}" has no property "${name}" (it has ${Object.keys(properties).join(', ') || 'none'}); ` +
        `cannot set it to ${showValue(value)}`
    );
  }
  if (properties[name].readOnly) {
    throw new Error(`Read-only property: "${title}" ${name} cannot be set to ${showValue(value)}`);
  }
}
