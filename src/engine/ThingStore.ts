/**
 * The engine's view of the gateway's things: descriptions, last known values and the member names
 * of `this.things`, kept current from the gateway's events (things may come and go at run time).
 */
import type { JsonValue, ThingDescription, ThingState } from '../protocol/gateway';
import { buildNameTable, isOwnThing, sanitizeName, SUN_THING_ID } from './names';
import { closestNames } from './closestNames';

export interface StoredThing {
  description: ThingDescription;
  values: Record<string, JsonValue>;
  connected: boolean;
}

export class ThingStore {
  // thing id -> its description and last known values
  private readonly things = new Map<string, StoredThing>();
  // member name of this.things -> device id (rebuilt when things come, go or are renamed)
  private byName = new Map<string, string>();
  // member name of this.rules -> RuleThing id (the add-on's own things are never in byName)
  private byRuleName = new Map<string, string>();
  // exact title -> thing id (devices first, then the add-on's own; the first in id order)
  private byTitle = new Map<string, string>();
  // collision warnings already logged, so a rebuild does not repeat them
  private warned = new Set<string>();

  constructor(private readonly warn: (message: string) => void) {}

  /** Replaces everything with the gateway's current list. */
  reset(states: ThingState[]): void {
    this.things.clear();
    for (const state of states) this.things.set(state.description.id, copyOf(state));
    this.rebuildNames();
  }

  /** Adds or replaces one thing (added or modified at run time). */
  put(state: ThingState): void {
    const previous = this.things.get(state.description.id);
    this.things.set(state.description.id, copyOf(state));
    if (previous?.description.title !== state.description.title) this.rebuildNames();
  }

  remove(thingId: string): boolean {
    const removed = this.things.delete(thingId);
    if (removed) this.rebuildNames();
    return removed;
  }

  get(thingId: string): StoredThing | undefined {
    return this.things.get(thingId);
  }

  has(thingId: string): boolean {
    return this.things.has(thingId);
  }

  ids(): IterableIterator<string> {
    return this.things.keys();
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  idOfName(name: string): string | undefined {
    return this.byName.get(name);
  }

  ruleNames(): IterableIterator<string> {
    return this.byRuleName.keys();
  }

  idOfRuleName(name: string): string | undefined {
    return this.byRuleName.get(name);
  }

  title(thingId: string): string {
    return this.things.get(thingId)?.description.title ?? thingId;
  }

  /** The id of the thing with this id, title or member name, or undefined. */
  find(titleOrId: string): string | undefined {
    if (this.things.has(titleOrId)) return titleOrId;
    return this.byTitle.get(titleOrId) ?? this.byName.get(sanitizeName(titleOrId));
  }

  /** "closest: Philips_HUE_01, Philips_HUE_02, Philips_HUE_03", for unknown-thing errors. */
  suggest(wanted: string, names: Iterable<string> = this.byName.keys()): string {
    const closest = closestNames(wanted, names);
    return closest.length > 0 ? `closest: ${closest.join(', ')}` : 'the gateway has no things';
  }

  private rebuildNames(): void {
    const list = [...this.things.values()]
      .map((t) => ({ id: t.description.id, title: t.description.title }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const devices = list.filter((t) => !isOwnThing(t.id));
    const ruleThings = list.filter((t) => isOwnThing(t.id) && t.id !== SUN_THING_ID);
    const table = buildNameTable(devices);
    for (const warning of table.warnings) {
      if (!this.warned.has(warning)) this.warn(warning);
    }
    this.warned = new Set(table.warnings);
    this.byName = table.byName;
    this.byRuleName = buildNameTable(ruleThings).byName;
    this.byTitle = new Map();
    for (const { id, title } of [...devices, ...list.filter((t) => isOwnThing(t.id))]) {
      if (!this.byTitle.has(title)) this.byTitle.set(title, id);
    }
  }
}

function copyOf(state: ThingState): StoredThing {
  return {
    description: state.description,
    values: { ...state.values },
    connected: state.connected,
  };
}
