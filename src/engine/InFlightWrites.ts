/**
 * Writes sent to the gateway and not yet echoed back, with the rule that made them: the echo of a
 * rule's own write must not trigger that rule again (the seed's bonded bulbs), and an assignment
 * of the value already asked for sends nothing.
 */
import type { JsonValue } from './gateway';
import type { Cause } from './LoopGuard';
import { sameValue } from './sameValue';

export interface InFlight {
  value: JsonValue;
  /** The runtime of the rule that wrote it (compared by identity). */
  origin: object;
  cause: Cause;
  /** After this instant the write is forgotten even if no echo came (the device kept its value). */
  expiresAt: number;
}

/** How long a write waits for its echo, and how long after the gateway confirmed it. */
export const ECHO_WAIT_MS = 10_000;
export const ECHO_WAIT_AFTER_CONFIRM_MS = 2_000;

export class InFlightWrites {
  // thing id -> property name -> writes not yet echoed, oldest first
  private readonly byThing = new Map<string, Map<string, InFlight[]>>();

  add(thingId: string, name: string, write: InFlight): void {
    let byName = this.byThing.get(thingId);
    if (!byName) this.byThing.set(thingId, (byName = new Map()));
    const list = byName.get(name);
    if (list) list.push(write);
    else byName.set(name, [write]);
  }

  /** The newest write still waiting, or undefined. */
  latest(thingId: string, name: string, now: number): InFlight | undefined {
    const list = this.live(thingId, name, now);
    return list ? list[list.length - 1] : undefined;
  }

  /**
   * If `value` is the echo of a waiting write, removes it (and older ones, which the gateway has
   * already overtaken) and returns it; otherwise the change came from elsewhere.
   */
  takeEcho(thingId: string, name: string, value: JsonValue, now: number): InFlight | undefined {
    const list = this.live(thingId, name, now);
    if (!list) return undefined;
    const index = list.findIndex((write) => sameValue(write.value, value));
    if (index < 0) return undefined;
    const [echo] = list.splice(0, index + 1).slice(-1);
    if (list.length === 0) this.byThing.get(thingId)?.delete(name);
    return echo;
  }

  /** The gateway confirmed: the echo should follow soon, so stop waiting for it long. */
  confirmed(write: InFlight, now: number): void {
    write.expiresAt = Math.min(write.expiresAt, now + ECHO_WAIT_AFTER_CONFIRM_MS);
  }

  /** The gateway refused: no echo will come. */
  drop(thingId: string, name: string, write: InFlight): void {
    const list = this.byThing.get(thingId)?.get(name);
    const index = list?.indexOf(write) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
    if (list?.length === 0) this.byThing.get(thingId)?.delete(name);
  }

  size(): number {
    let count = 0;
    for (const byName of this.byThing.values())
      for (const list of byName.values()) count += list.length;
    return count;
  }

  private live(thingId: string, name: string, now: number): InFlight[] | undefined {
    const list = this.byThing.get(thingId)?.get(name);
    if (!list) return undefined;
    while (list.length > 0 && list[0].expiresAt < now) list.shift();
    if (list.length === 0) {
      this.byThing.get(thingId)?.delete(name);
      return undefined;
    }
    return list;
  }
}
