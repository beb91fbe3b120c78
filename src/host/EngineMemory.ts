/**
 * The main thread's watch over the engine thread's whole memory (JavaScript heap plus Buffers and
 * other memory outside it, which V8's heap limit does not cover): it reads the engine's reports,
 * says when the engine must be ended, and which rule to blame: the rule file the engine's samples
 * say holds the most, or, when the samples could not say, the rule that was running at two
 * out-of-memory ends in a row.
 */
import { RULE_MEMORY_SHARE } from '../engine/MemoryLedger';
import type { EngineMemoryReport } from '../engine/messages';

/** The rule found holding the engine's memory, to be switched off. */
export interface MemoryCulprit {
  file: string;
  ruleIds: string[];
  /** What it held at the last report. */
  mb: number;
}

/** An out-of-memory end of the engine, as the hosts report it. */
export interface OutOfMemory {
  limitMb: number;
  /** The footprint at the last report (heap + outside the heap), when the engine sent one. */
  usedMb?: number;
  /** The rule whose code was running when the engine ended (only a hint). */
  ruleId?: string;
  /** The rule(s) to switch off; absent when no rule could be told apart. */
  culprit?: MemoryCulprit;
}

// Over the limit at two reports in a row: a burst of garbage V8 has not collected yet is not a leak.
const REPORTS_OVER_LIMIT = 2;
/** The share of the limit from which the engine samples who holds its memory. */
export const WATCH_SHARE = 0.5;
/** After an out-of-memory end nobody could be blamed for, the next engine samples from this share. */
export const CLOSE_WATCH_SHARE = 0.1;

export class EngineMemory {
  private overCount = 0;
  private last?: EngineMemoryReport;
  // the running rule at the previous out-of-memory end that nobody could be blamed for
  private unexplainedRunning?: string;
  private watchShare = WATCH_SHARE;

  constructor(readonly limitMb: number) {}

  /** From which footprint (MB) the next engine thread samples its holders. */
  get watchFromMb(): number {
    return Math.round(this.limitMb * this.watchShare);
  }

  /** A new engine thread started: its reports start afresh. */
  restarted(): void {
    this.overCount = 0;
    this.last = undefined;
  }

  /** Takes a report; true when the engine is over its limit and must be ended. */
  report(report: EngineMemoryReport): boolean {
    if (report.holders) this.last = report;
    else this.last = { ...report, holders: this.last?.holders };
    this.overCount = report.usedMb > this.limitMb ? this.overCount + 1 : 0;
    return this.overCount >= REPORTS_OVER_LIMIT;
  }

  /** The engine ended for memory (its own report, or V8's heap limit): who is to blame. */
  ended(runningRuleId: string | undefined): OutOfMemory {
    const top = this.last?.holders?.[0];
    const culprit =
      top && top.mb >= this.limitMb * RULE_MEMORY_SHARE && top.ruleIds.length > 0
        ? { file: top.file, ruleIds: top.ruleIds, mb: top.mb }
        : this.repeatedRunning(runningRuleId);
    // Nobody to blame: the next engine samples early, so a fast leak shows before the limit.
    this.watchShare = culprit ? WATCH_SHARE : CLOSE_WATCH_SHARE;
    this.unexplainedRunning = culprit ? undefined : runningRuleId;
    return { limitMb: this.limitMb, usedMb: this.last?.usedMb, ruleId: runningRuleId, culprit };
  }

  private repeatedRunning(ruleId: string | undefined): MemoryCulprit | undefined {
    if (!ruleId || ruleId !== this.unexplainedRunning) return undefined;
    return { file: '', ruleIds: [ruleId], mb: 0 };
  }
}

/**
 * What the user reads when the engine ended for memory; `title` names a rule.
 * @example describeOutOfMemory({ limitMb: 128, culprit: { file: 'leak.ts', ruleIds: ['leak'], mb: 90 } }, (id) => id)
 * // 'leak was switched off: it held 90 MB of the rule engine's 128 MB memory limit (leak.ts), so the engine was restarted. Fix the rule and switch it on again.'
 */
export function describeOutOfMemory(event: OutOfMemory, title: (ruleId: string) => string): string {
  const { culprit, limitMb } = event;
  if (culprit) {
    const names = culprit.ruleIds.map(title).join(', ');
    const held = culprit.file
      ? `it held ${Math.round(culprit.mb)} MB of the rule engine's ${limitMb} MB memory limit (${culprit.file})`
      : `it was running each of the last two times the rule engine crossed its ${limitMb} MB memory limit`;
    return `${names} was switched off: ${held}, so the engine was restarted. Fix the rule and switch it on again.`;
  }
  const last = event.ruleId ? ` (the last rule running was ${title(event.ruleId)})` : '';
  return `The rule engine used more than its ${limitMb} MB memory limit and was stopped: a rule keeps too much data${last}. It restarts by itself.`;
}
