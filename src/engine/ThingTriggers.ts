/**
 * Triggers on gateway things — any property of a thing, one property, one event — made by thing
 * proxies (`thing.property('on')`, `thing.event('pressed')`, or the thing itself in `triggers()`).
 * They start by registering with the engine's ThingEventHub, found in the trigger context.
 */
import { Trigger, TriggerContext } from '../triggers/Trigger';
import type { JsonValue } from '../protocol/gateway';
import type { ThingEventHub, ThingWatcher } from './ThingEventHub';

/** The trigger context the engine hands out: the usual one plus the hub of thing events. */
export interface EngineTriggerContext extends TriggerContext {
  things: ThingEventHub;
}

function hubOf(context: TriggerContext, what: string): ThingEventHub {
  const hub = (context as Partial<EngineTriggerContext>).things;
  if (!hub) throw new Error(`${what} can only be used by rules of a RuleSystem`);
  return hub;
}

abstract class ThingTrigger extends Trigger implements ThingWatcher {
  private cancel: (() => void) | undefined;

  constructor(
    readonly thingId: string,
    /** The property or event watched; undefined = any property. */
    readonly member: string | undefined,
    private readonly titleOf: () => string
  ) {
    super();
  }

  get thingTitle(): string {
    return this.titleOf();
  }

  deliver(name: string, value: JsonValue | undefined): void {
    this.fire(name, value);
  }

  protected abstract watch(hub: ThingEventHub): () => void;

  protected onStart(context: TriggerContext): void {
    this.cancel = this.watch(hubOf(context, this.describe()));
  }

  protected onStop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}

/** Fires on every change of any property of one thing, with the property's name and new value. */
export class ThingChangeTrigger extends ThingTrigger {
  describe(): string {
    return `${this.thingTitle} changes`;
  }
  protected watch(hub: ThingEventHub): () => void {
    return hub.watchProperty(this);
  }
}

/** Fires on every change of one property of one thing. */
export class PropertyTrigger extends ThingTrigger {
  describe(): string {
    return `${this.thingTitle} ${this.member} changes`;
  }
  protected watch(hub: ThingEventHub): () => void {
    return hub.watchProperty(this);
  }
}

/** Fires on every event of one kind ("pressed") of one thing, with the event's data as value. */
export class EventTrigger extends ThingTrigger {
  describe(): string {
    // The gateway GUI's words for an event trigger.
    return `${this.thingTitle} event "${this.member}" occurs`;
  }
  protected watch(hub: ThingEventHub): () => void {
    return hub.watchEvent(this);
  }
}
