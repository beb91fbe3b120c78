/**
 * The memory of a While rule's active phase: whether its condition holds, and the value each
 * property had before the rule first changed it, so the engine can put everything back after
 * (like the gateway GUI's While rules and its PulseEffect).
 */
import type { JsonValue } from './gateway';

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

  get active(): boolean {
    return this.holding;
  }

  /** Takes the condition's latest value and says whether a phase began or ended. */
  update(holds: boolean): PhaseChange {
    if (holds === this.holding) return 'unchanged';
    this.holding = holds;
    if (holds) this.previous.clear();
    return holds ? 'began' : 'ended';
  }

  /** Notes the value a write replaces, if this is the first write to it in the active phase. */
  record(thingId: string, name: string, value: JsonValue | undefined): void {
    if (!this.holding || value === undefined) return;
    const key = `${thingId}\u0000${name}`;
    if (!this.previous.has(key)) this.previous.set(key, { thingId, name, value });
  }

  /** What to put back (in the order it was changed), forgetting it; ends the phase. */
  takeRecorded(): Recorded[] {
    this.holding = false;
    const list = [...this.previous.values()];
    this.previous.clear();
    return list;
  }
}
