/**
 * Shared memory through which the engine thread says which rule's code it is running, so that when
 * a rule blocks the thread's event loop (and no message can leave it), the watchdog on the main
 * thread can still read which rule (or which file, while it loads) to switch off, and for how long
 * that code has run without a break. Only code that runs counts: a rule merely awaiting (a sleep,
 * a write) is never in the probe.
 */
import { createHook } from 'async_hooks';
import { currentScope, observeScopes, RuleScope } from './RuleScope';

// An Int32 length of the text, then (8-aligned) when the shown code was entered, then the text.
const SINCE_OFFSET = 8;
const HEADER_BYTES = 16;
const SIZE_BYTES = 2048;
const encoder = new TextEncoder();

/** The buffer the main thread creates and hands to the worker in its workerData. */
export function createProbeBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(SIZE_BYTES);
}

/** What the engine thread was running: a rule's method, or a file's top level while it loaded. */
export interface ProbeReading {
  /** Absent while a file's top level runs. */
  ruleId?: string;
  file: string;
  /** "action", "top level"…; with " (in a callback or after an await)" for code it started. */
  method: string;
}

/** The engine side: follows every entry into rule code, synchronous or through a callback. */
export class RunningRuleProbe {
  private readonly length: Int32Array;
  private readonly since: BigInt64Array;
  private readonly bytes: Uint8Array;
  private shown: RuleScope | undefined;
  // the scope of each callback the thread is inside (innermost last), as async_hooks reports them
  private readonly callbacks: (RuleScope | undefined)[] = [];

  constructor(buffer: SharedArrayBuffer) {
    this.length = new Int32Array(buffer, 0, 1);
    this.since = new BigInt64Array(buffer, SINCE_OFFSET, 1);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
  }

  /**
   * Starts following this thread: direct calls into rule code, and every callback (a timer, a
   * promise continuation, a socket event) that runs in a rule's scope. Returns the stop.
   */
  watch(): () => void {
    const unobserve = observeScopes((scope, viaCallback) => this.show(scope, viaCallback));
    const hook = createHook({
      before: () => {
        const scope = currentScope();
        this.callbacks.push(scope);
        this.show(scope, true);
      },
      after: () => {
        this.callbacks.pop();
        this.show(this.callbacks[this.callbacks.length - 1], true);
      },
    }).enable();
    return () => {
      hook.disable();
      unobserve();
    };
  }

  private show(scope: RuleScope | undefined, viaCallback: boolean): void {
    if (scope === this.shown) return;
    this.shown = scope;
    const text = scope
      ? `${scope.ruleId ?? ''}\n${scope.file}\n${scope.method}${viaCallback ? ' (in a callback or after an await)' : ''}`
      : '';
    const { written } = encoder.encodeInto(text, this.bytes);
    Atomics.store(this.length, 0, written ?? 0);
    // Written last: a reader that sees the same stamp before and after the text read a whole entry.
    Atomics.store(this.since, 0, process.hrtime.bigint());
  }
}

/** The main-thread side: what the engine thread was running when it went silent, if rule code. */
export function readProbe(buffer: SharedArrayBuffer): ProbeReading | undefined {
  const length = Atomics.load(new Int32Array(buffer, 0, 1), 0);
  if (length <= 0) return undefined;
  const text = new TextDecoder().decode(new Uint8Array(buffer, HEADER_BYTES, length).slice());
  const [ruleId, file, method] = text.split('\n');
  return { ruleId: ruleId || undefined, file: file ?? '', method: method ?? 'unknown' };
}

/**
 * The rule code the engine thread is in and how long (ms) it has run without a break; undefined
 * when it is in none, or when it moved on while being read (the next reading will tell).
 */
export function readRunningFor(
  buffer: SharedArrayBuffer
): { reading: ProbeReading; runningMs: number } | undefined {
  const since = new BigInt64Array(buffer, SINCE_OFFSET, 1);
  const before = Atomics.load(since, 0);
  const reading = readProbe(buffer);
  if (!reading || Atomics.load(since, 0) !== before) return undefined;
  return { reading, runningMs: Number(process.hrtime.bigint() - before) / 1e6 };
}
