/**
 * `this.things` (every device of the gateway under its sanitized title) and `this.rules` (the
 * RuleThings the gateway has, likewise), looked up when read (so things added or renamed at run
 * time appear), with an error naming the closest names for a typo.
 */
import type { ThingProxy } from './ThingProxy';
import type { ThingStore } from './ThingStore';

/** Which of the store's name tables a directory shows, and what it is called in messages. */
interface NameSource {
  what: 'things' | 'rules';
  idOf(name: string): string | undefined;
  names(): Iterable<string>;
}

export function createThingsDirectory(
  store: ThingStore,
  proxyOf: (thingId: string) => ThingProxy
): Record<string, ThingProxy> {
  return directory(
    store,
    { what: 'things', idOf: (n) => store.idOfName(n), names: () => store.names() },
    proxyOf
  );
}

export function createRulesDirectory(
  store: ThingStore,
  proxyOf: (thingId: string) => ThingProxy
): Record<string, ThingProxy> {
  return directory(
    store,
    { what: 'rules', idOf: (n) => store.idOfRuleName(n), names: () => store.ruleNames() },
    proxyOf
  );
}

function directory(
  store: ThingStore,
  source: NameSource,
  proxyOf: (thingId: string) => ThingProxy
): Record<string, ThingProxy> {
  return new Proxy({} as Record<string, ThingProxy>, {
    get: (_target, key) => {
      // Promise and JSON machinery probe objects for these; they are never thing names.
      if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return undefined;
      const thingId = source.idOf(key);
      if (!thingId) throw new Error(unknown(store, source, key));
      return proxyOf(thingId);
    },
    has: (_target, key) => typeof key === 'string' && source.idOf(key) !== undefined,
    ownKeys: () => [...source.names()],
    getOwnPropertyDescriptor: (_target, key) => {
      const thingId = typeof key === 'string' ? source.idOf(key) : undefined;
      if (!thingId) return undefined;
      return { value: proxyOf(thingId), enumerable: true, configurable: true, writable: false };
    },
    set: (_target, key) => {
      throw new TypeError(
        `this.${source.what}.${String(key)} cannot be assigned; set its properties instead`
      );
    },
  });
}

function unknown(store: ThingStore, source: NameSource, key: string): string {
  if (source.what === 'things') {
    const ruleThing = store.idOfRuleName(key);
    const hint = ruleThing ? `; the RuleThing of that name is this.rules.${key}` : '';
    return `Unknown thing: this.things.${key} does not exist (${store.suggest(key)})${hint}`;
  }
  const names = [...store.ruleNames()];
  const known =
    names.length > 0
      ? store.suggest(key, names)
      : 'no RuleThing is added in the gateway yet (Things page → +)';
  return `Unknown rule: this.rules.${key} is not a RuleThing of the gateway (${known})`;
}
