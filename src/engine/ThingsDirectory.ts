/**
 * `this.things`: every gateway thing under its sanitized title, looked up when read (so things
 * added or renamed at run time appear), with an error naming the closest names for a typo.
 */
import type { ThingProxy } from './ThingProxy';
import type { ThingStore } from './ThingStore';

export function createThingsDirectory(
  store: ThingStore,
  proxyOf: (thingId: string) => ThingProxy
): Record<string, ThingProxy> {
  return new Proxy({} as Record<string, ThingProxy>, {
    get: (_target, key) => {
      // Promise and JSON machinery probe objects for these; they are never thing names.
      if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return undefined;
      const thingId = store.idOfName(key);
      if (!thingId) {
        throw new Error(`Unknown thing: this.things.${key} does not exist (${store.suggest(key)})`);
      }
      return proxyOf(thingId);
    },
    has: (_target, key) => typeof key === 'string' && store.idOfName(key) !== undefined,
    ownKeys: () => [...store.names()],
    getOwnPropertyDescriptor: (_target, key) => {
      const thingId = typeof key === 'string' ? store.idOfName(key) : undefined;
      if (!thingId) return undefined;
      return { value: proxyOf(thingId), enumerable: true, configurable: true, writable: false };
    },
    set: (_target, key) => {
      throw new TypeError(
        `this.things.${String(key)} cannot be assigned; set its properties instead`
      );
    },
  });
}
