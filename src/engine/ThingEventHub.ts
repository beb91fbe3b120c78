/**
 * Routes each property change and event of the gateway to the triggers that watch that thing
 * (and that property or event) through maps keyed by thing id: the cost of a change does not
 * grow with the number of rules.
 */
import type { Cancel } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import type { Cause } from './LoopGuard';

/** Who caused the change being delivered: set while the hub fans out, read by the rules it reaches. */
export interface Delivery {
  /** The runtime of the rule whose write this is the echo of, if any. */
  origin: object | undefined;
  cause: Cause | undefined;
}

/** What the hub calls: a trigger on one thing (`property` undefined = any property). */
export interface ThingWatcher {
  readonly thingId: string;
  readonly member: string | undefined;
  deliver(name: string, value: JsonValue | undefined): void;
}

const ANY = '\u0000any';

export class ThingEventHub {
  // thing id -> property name (or ANY) -> watchers
  private readonly properties = new Map<string, Map<string, Set<ThingWatcher>>>();
  // thing id -> event name -> watchers
  private readonly events = new Map<string, Map<string, Set<ThingWatcher>>>();
  /** The change being delivered right now (fan-out is synchronous), else undefined. */
  delivery: Delivery | undefined;

  watchProperty(watcher: ThingWatcher): Cancel {
    return add(this.properties, watcher.thingId, watcher.member ?? ANY, watcher);
  }

  watchEvent(watcher: ThingWatcher): Cancel {
    return add(this.events, watcher.thingId, watcher.member ?? ANY, watcher);
  }

  /** True when some trigger watches this property (or the whole thing). */
  isWatched(thingId: string): boolean {
    return this.properties.has(thingId);
  }

  propertyChanged(thingId: string, name: string, value: JsonValue, delivery: Delivery): void {
    const byName = this.properties.get(thingId);
    if (!byName) return;
    this.fanOut([byName.get(name), byName.get(ANY)], name, value, delivery);
  }

  eventRaised(thingId: string, name: string, data: JsonValue | undefined): void {
    const byName = this.events.get(thingId);
    if (!byName) return;
    this.fanOut([byName.get(name), byName.get(ANY)], name, data, undefined);
  }

  private fanOut(
    sets: (Set<ThingWatcher> | undefined)[],
    name: string,
    value: JsonValue | undefined,
    delivery: Delivery | undefined
  ): void {
    const outer = this.delivery;
    this.delivery = delivery;
    try {
      for (const set of sets) {
        if (!set) continue;
        for (const watcher of [...set]) watcher.deliver(name, value);
      }
    } finally {
      this.delivery = outer;
    }
  }
}

function add(
  index: Map<string, Map<string, Set<ThingWatcher>>>,
  thingId: string,
  key: string,
  watcher: ThingWatcher
): Cancel {
  let byName = index.get(thingId);
  if (!byName) index.set(thingId, (byName = new Map()));
  let set = byName.get(key);
  if (!set) byName.set(key, (set = new Set()));
  set.add(watcher);
  return () => {
    set.delete(watcher);
    if (set.size > 0) return;
    byName.delete(key);
    if (byName.size === 0) index.delete(thingId);
  };
}
