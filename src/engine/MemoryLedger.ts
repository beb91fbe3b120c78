/**
 * Which rule file holds how much of the engine thread's memory, so that a rule that leaks is named
 * (and switched off) when the engine crosses its memory limit, rather than the rule that happened
 * to run last. Two samplers, both cheap enough to run all the time:
 * - the JavaScript heap: V8's sampling heap profiler (one allocation in about every 128 KB, with
 *   its stack), asked for the allocations still alive only when memory runs high;
 * - Buffers (outside the heap): Buffer.alloc, allocUnsafe, allocUnsafeSlow, from and concat are
 *   sampled the same way, and a FinalizationRegistry takes a sample back when its Buffer is freed.
 * An allocation belongs to the outermost stack frame in the rules folder: the rule file whose
 * action, timer or top-level code made it, even through a helper it imports.
 */
import { Session } from 'inspector';
import path from 'path';
import type { EngineMemoryReport } from './messages';

/** One rule file's share of the engine's live memory (estimated from the samples). */
export interface MemoryHolder {
  /** Relative to the rules folder. */
  file: string;
  bytes: number;
}

// A sample every ~128 KB on average: a leak of a few MB is seen many times, a reaction pays nothing.
const SAMPLING_INTERVAL = 128 * 1024;

interface ProfileNode {
  callFrame: { url: string };
  selfSize: number;
  children: ProfileNode[];
}

type BufferStatics = Pick<
  typeof Buffer,
  'alloc' | 'allocUnsafe' | 'allocUnsafeSlow' | 'from' | 'concat'
>;
const SAMPLED: (keyof BufferStatics)[] = [
  'alloc',
  'allocUnsafe',
  'allocUnsafeSlow',
  'from',
  'concat',
];

export class MemoryLedger {
  private session?: Session;
  // rule file (relative) -> estimated bytes of its sampled Buffers still alive
  private readonly bufferBytes = new Map<string, number>();
  private readonly freed = new FinalizationRegistry<{ file: string; bytes: number }>(
    ({ file, bytes }) => {
      const left = (this.bufferBytes.get(file) ?? 0) - bytes;
      if (left > 0) this.bufferBytes.set(file, left);
      else this.bufferBytes.delete(file);
    }
  );
  private restoreBuffer?: () => void;

  constructor(private readonly rulesFolder: string) {}

  /** Starts both samplers; a runtime without an inspector samples Buffers only. */
  start(): void {
    try {
      const session = new Session();
      session.connect();
      session.post('HeapProfiler.enable');
      session.post('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL });
      this.session = session;
    } catch {
      this.session = undefined;
    }
    this.restoreBuffer = this.sampleBuffers();
  }

  stop(): void {
    this.restoreBuffer?.();
    this.restoreBuffer = undefined;
    this.session?.disconnect();
    this.session = undefined;
  }

  /** The rule files holding the most memory now, largest first (a few ms: call it when memory runs high). */
  async holders(): Promise<MemoryHolder[]> {
    const bytes = new Map(this.bufferBytes);
    const profile = await this.heapProfile();
    if (profile) this.addHeap(profile, undefined, bytes);
    return [...bytes]
      .map(([file, held]) => ({ file, bytes: held }))
      .filter((holder) => holder.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes);
  }

  private heapProfile(): Promise<ProfileNode | undefined> {
    const session = this.session;
    if (!session) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      session.post('HeapProfiler.getSamplingProfile', (error, result) => {
        resolve(error ? undefined : (result as { profile: { head: ProfileNode } }).profile.head);
      });
    });
  }

  /** Adds each node's live bytes to the outermost rule file above it. */
  private addHeap(node: ProfileNode, owner: string | undefined, bytes: Map<string, number>): void {
    const file = owner ?? this.ruleFile(node.callFrame.url);
    if (file && node.selfSize > 0) bytes.set(file, (bytes.get(file) ?? 0) + node.selfSize);
    for (const child of node.children) this.addHeap(child, file, bytes);
  }

  /** The rules-folder file `location` (a path or file:// URL) names, relative; undefined outside it. */
  private ruleFile(location: string | undefined | null): string | undefined {
    if (!location) return undefined;
    const absolute = location.startsWith('file://') ? new URL(location).pathname : location;
    const relative = path.relative(this.rulesFolder, absolute);
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return relative;
  }

  /** Wraps Buffer's allocating statics; returns what puts them back. */
  private sampleBuffers(): () => void {
    const originals = Object.fromEntries(SAMPLED.map((name) => [name, Buffer[name]])) as Record<
      keyof BufferStatics,
      (...args: unknown[]) => Buffer
    >;
    for (const name of SAMPLED) {
      const original = originals[name];
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      const ledger = this;
      (Buffer as unknown as Record<string, unknown>)[name] = function sampled(
        this: unknown,
        ...args: unknown[]
      ): Buffer {
        const buffer = original.apply(this, args);
        ledger.sample(buffer);
        return buffer;
      };
    }
    return () => {
      for (const name of SAMPLED)
        (Buffer as unknown as Record<string, unknown>)[name] = originals[name];
    };
  }

  /** Counts a Buffer with probability size / interval, as SAMPLING_INTERVAL bytes (or its size when larger). */
  private sample(buffer: Buffer): void {
    const size = buffer.byteLength;
    if (size < SAMPLING_INTERVAL && Math.random() * SAMPLING_INTERVAL >= size) return;
    const file = this.callerRuleFile();
    if (!file) return;
    const bytes = Math.max(size, SAMPLING_INTERVAL);
    this.bufferBytes.set(file, (this.bufferBytes.get(file) ?? 0) + bytes);
    this.freed.register(buffer, { file, bytes });
  }

  /** The outermost rules-folder file on the current stack. */
  private callerRuleFile(): string | undefined {
    const previous = Error.prepareStackTrace;
    const limit = Error.stackTraceLimit;
    let sites: NodeJS.CallSite[] = [];
    try {
      Error.stackTraceLimit = 50;
      Error.prepareStackTrace = (_error, callSites) => callSites;
      const holder: { stack?: NodeJS.CallSite[] } = {};
      Error.captureStackTrace(holder);
      sites = holder.stack ?? [];
    } finally {
      Error.prepareStackTrace = previous;
      Error.stackTraceLimit = limit;
    }
    let found: string | undefined;
    for (const site of sites) found = this.ruleFile(site.getFileName()) ?? found;
    return found;
  }
}

const MB = 1024 * 1024;

/**
 * The share of the engine's memory limit one rule file may hold: past it, its rules are switched
 * off (by the engine, before it reaches the limit; or by the host, when the limit ended it).
 */
export const RULE_MEMORY_SHARE = 0.2;

/**
 * Why the rules of each file in `report` that holds RULE_MEMORY_SHARE of `limitMb` or more must be
 * switched off, by rule id.
 */
export function memoryHogs(report: EngineMemoryReport, limitMb: number): Map<string, string> {
  const hogs = new Map<string, string>();
  for (const { file, ruleIds, mb } of report.holders ?? []) {
    if (mb < limitMb * RULE_MEMORY_SHARE) continue;
    const reason = `switched off: it held ${Math.round(mb)} MB of the rule engine's ${limitMb} MB memory limit (${file}), more than a rule may keep. The other rules kept running; what it holds is freed at the engine's next restart. Fix the rule and switch it on again.`;
    for (const ruleId of ruleIds) hogs.set(ruleId, reason);
  }
  return hogs;
}

/**
 * The engine thread's footprint now, with the rule files holding it (each with its rule ids)
 * once it has reached `watchMb`.
 */
export async function memoryReport(
  ledger: MemoryLedger,
  watchMb: number | undefined,
  ruleIdsOf: (file: string) => string[]
): Promise<EngineMemoryReport> {
  const { heapUsed, external } = process.memoryUsage();
  const usedMb = (heapUsed + external) / MB;
  if (watchMb === undefined || usedMb < watchMb) return { usedMb };
  const holders = (await ledger.holders()).slice(0, 5).map(({ file, bytes }) => ({
    file,
    ruleIds: ruleIdsOf(file),
    mb: bytes / MB,
  }));
  return { usedMb, holders };
}
