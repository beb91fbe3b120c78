/**
 * Shared memory through which the engine thread says which rule code it is in, so that when a rule
 * blocks the thread's event loop (and no message can leave it), the watchdog on the main thread can
 * still read which rule and which method to switch off.
 */

const HEADER_BYTES = 4;
const SIZE_BYTES = 1024;
const encoder = new TextEncoder();

/** The buffer the main thread creates and hands to the worker in its workerData. */
export function createProbeBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(SIZE_BYTES);
}

/** Where the engine thread is: `ruleId` and `method`, or nothing between rule code. */
export interface ProbeReading {
  ruleId: string;
  method: string;
}

/** The engine side: records each entry into rule code; cheap enough for every action. */
export class RunningRuleProbe {
  private readonly length?: Int32Array;
  private readonly bytes?: Uint8Array;
  private last = '';
  // rule id -> method of its async runs still in flight, the suspects once no rule code is entered
  private readonly pending = new Map<string, string>();

  constructor(buffer?: SharedArrayBuffer) {
    if (!buffer) return;
    this.length = new Int32Array(buffer, 0, 1);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
  }

  /** Rule code of `ruleId` starts running `method`. */
  enter(ruleId: string, method: string): void {
    if (this.bytes) this.write(`${ruleId}\n${method}`);
  }

  /**
   * The synchronous part of the rule code returned; `stillRunning` is true while its promise is
   * pending, so that code resuming after an `await` is still attributed to the rule.
   */
  leave(ruleId: string, method: string, stillRunning: boolean): void {
    if (!this.bytes) return;
    if (stillRunning) this.pending.set(ruleId, method);
    else this.pending.delete(ruleId);
    this.writeSuspect();
  }

  /** An async run of `ruleId` ended. */
  settled(ruleId: string): void {
    if (this.bytes && this.pending.delete(ruleId)) this.writeSuspect();
  }

  /** Between rule code: the async run entered last is the one to blame if the thread blocks. */
  private writeSuspect(): void {
    let suspect: [string, string] | undefined;
    for (const entry of this.pending) suspect = entry;
    this.write(suspect ? `${suspect[0]}\n${suspect[1]} (after an await)` : '');
  }

  private write(text: string): void {
    if (!this.bytes || !this.length || text === this.last) return;
    this.last = text;
    const { written } = encoder.encodeInto(text, this.bytes);
    Atomics.store(this.length, 0, written ?? 0);
  }
}

/** The main-thread side: what the engine thread was in when it went silent, if anything. */
export function readProbe(buffer: SharedArrayBuffer): ProbeReading | undefined {
  const length = Atomics.load(new Int32Array(buffer, 0, 1), 0);
  if (length <= 0) return undefined;
  const text = new TextDecoder().decode(new Uint8Array(buffer, HEADER_BYTES, length).slice());
  const [ruleId, method] = text.split('\n');
  return ruleId ? { ruleId, method: method ?? 'unknown' } : undefined;
}
