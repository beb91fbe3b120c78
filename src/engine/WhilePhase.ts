/**
 * The memory of a While rule's active phase: whether its condition holds, and the value each
 * property had before the rule first changed it, so the engine can put everything back after
 * (like the gateway GUI's While rules and its PulseEffect).
 */
import type { JsonValue } from '../protocol/gateway';

export type PhaseChange = 'began' | 'ended' | 'unchanged';

export interface Recorded {
  thingId: string;
  name: string;
  value: JsonValue;
}

export class WhilePhase {
  private holding = false;
  // "thingId\u0000property" -> what to restore; the first write of the phase wins
  private readonly previous = new Map<string, Recorded>();
  // set by resume(): the next phase keeps what an earlier engine recorded instead of starting afresh
  private resumed = false;

  get active(): boolean {
    return this.holding;
  }

  /** Takes the condition's latest value and says whether a phase began or ended. */
  update(holds: boolean): PhaseChange {
    if (holds === this.holding) return 'unchanged';
    this.holding = holds;
    if (holds && !this.resumed) this.previous.clear();
    this.resumed = false;
    return holds ? 'began' : 'ended';
  }

  /**
   * What an engine that ended during the active phase had recorded (it was saved): the next phase
   * keeps these values to put back, or `leftOver` says they are due now.
   */
  resume(recorded: Recorded[]): void {
    for (const entry of recorded) this.previous.set(`${entry.thingId}\u0000${entry.name}`, entry);
    this.resumed = recorded.length > 0;
  }

  /** Values to put back outside an active phase (resumed, and the condition no longer holds). */
  get leftOver(): boolean {
    return !this.holding && this.previous.size > 0;
  }

  /** Notes the value a write replaces, if this is the first write to it in the active phase; true if it was. */
  record(thingId: string, name: string, value: JsonValue | undefined): boolean {
    if (!this.holding || value === undefined) return false;
    const key = `${thingId}\u0000${name}`;
    if (this.previous.has(key)) return false;
    this.previous.set(key, { thingId, name, value });
    return true;
  }

  /** What would be put back now, in the order it was changed. */
  get recorded(): Recorded[] {
    return [...this.previous.values()];
  }

  /** What to put back (in the order it was changed), forgetting it; ends the phase. */
  takeRecorded(): Recorded[] {
    this.holding = false;
    const list = [...this.previous.values()];
    this.previous.clear();
    return list;
  }
}
