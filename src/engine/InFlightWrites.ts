/**
 * Writes sent to the gateway and the reports they cause, with the rule that made them: the echo
 * of a rule's own write must not trigger that rule again (the seed's bonded bulbs), an assignment
 * of the value already asked for sends nothing, and a report that a write caused carries that
 * write's cause so the loop guard can follow a chain of rules through real devices.
 */
import type { JsonValue } from '../protocol/gateway';
import type { Cause } from './LoopGuard';
import { sameValue } from './sameValue';

export interface InFlight {
  value: JsonValue;
  /** The runtime of the rule that wrote it (compared by identity). */
  origin: object;
  cause: Cause;
  /** Until this instant a report of the written value is the write's echo (the writer skips it). */
  expiresAt: number;
  /** Until this instant the write's report may still come (a device reporting late). */
  reportBy: number;
  /** The gateway confirmed the write: a different value reported after that overtook it. */
  confirmed: boolean;
}

/** What a report of a property is to the rules: whose write it echoes, and which chain caused it. */
export interface ReportCause {
  /** The writer, when the report is the echo of its write; undefined otherwise. */
  origin: object | undefined;
  cause: Cause;
}

/** How long a write waits for its echo, and how long after the gateway confirmed it. */
export const ECHO_WAIT_MS = 10_000;
export const ECHO_WAIT_AFTER_CONFIRM_MS = 2_000;
/** How long after it was sent a device's report still counts as the write's doing (slow devices). */
export const LATE_REPORT_MS = 30_000;

export class InFlightWrites {
  // thing id -> property name -> writes whose report has not come yet, oldest first
  private readonly byThing = new Map<string, Map<string, InFlight[]>>();

  add(thingId: string, name: string, write: InFlight): void {
    let byName = this.byThing.get(thingId);
    if (!byName) this.byThing.set(thingId, (byName = new Map()));
    const list = byName.get(name);
    if (list) list.push(write);
    else byName.set(name, [write]);
  }

  /** The newest write still waiting for its echo, or undefined. */
  latest(thingId: string, name: string, now: number): InFlight | undefined {
    const list = this.live(thingId, name, now);
    const newest = list?.[list.length - 1];
    return newest && newest.expiresAt >= now ? newest : undefined;
  }

  /**
   * Says what a reported value is, taking the writes it settles:
   * - the written value while the write waits for its echo: the echo (writes older than it were
   *   overtaken by it);
   * - the written value after that (a device that reports late), or another value once the
   *   gateway confirmed the write (a device that reports what it made of it, or a person who
   *   changed it since): not an echo, but still caused by the write;
   * - another value before the gateway confirmed: a change from elsewhere; the write waits on.
   * Each write settles at most one report, so a person's later changes are theirs again.
   */
  takeReport(
    thingId: string,
    name: string,
    value: JsonValue,
    now: number
  ): ReportCause | undefined {
    const list = this.live(thingId, name, now);
    if (!list) return undefined;
    const index = list.findIndex((write) => sameValue(write.value, value));
    let settled: InFlight | undefined;
    if (index >= 0) {
      settled = list.splice(0, index + 1)[index];
    } else {
      const confirmed = list.filter((write) => write.confirmed);
      if (confirmed.length === 0) return undefined;
      settled = confirmed[confirmed.length - 1];
      list.splice(0, list.length, ...list.filter((write) => !write.confirmed));
    }
    if (list.length === 0) this.byThing.get(thingId)?.delete(name);
    const echo = index >= 0 && settled.expiresAt >= now;
    return { origin: echo ? settled.origin : undefined, cause: settled.cause };
  }

  /** The gateway confirmed: the echo should follow soon, so stop waiting for it long. */
  confirmed(write: InFlight, now: number): void {
    write.confirmed = true;
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
    while (list.length > 0 && list[0].reportBy < now) list.shift();
    if (list.length === 0) {
      this.byThing.get(thingId)?.delete(name);
      return undefined;
    }
    return list;
  }
}
