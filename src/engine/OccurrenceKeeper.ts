/**
 * One rule's time-trigger occurrences through outages and restarts: one due while the gateway is
 * unreachable is held (the latest per trigger) and runs when it is back if still within the grace
 * period, else it is logged as missed; every occurrence of an alarm that runs is reported (the
 * host saves it), so after a restart an alarm missed while the engine was down runs once, and one
 * that already ran never runs again.
 */
import { DateTime } from 'luxon';
import { describeDuration } from '../clock';
import type { TimeTrigger } from '../triggers/TimeTrigger';
import type { EngineCore, LogLevel } from './EngineCore';

interface Held {
  trigger: TimeTrigger;
  dueMs: number;
  /** Earlier occurrences of the same trigger it replaced (a HeartBeat that kept beating). */
  replaced: number;
  run(): void;
}

export class OccurrenceKeeper {
  // trigger -> its latest occurrence due while the gateway was unreachable
  private readonly held = new Map<TimeTrigger, Held>();
  // alarm trigger, as described ("at 06:30 every day") -> ISO instant of its last occurrence that ran
  private readonly last: Map<string, string>;

  constructor(
    private readonly core: EngineCore,
    private readonly ruleId: string,
    saved: Record<string, string> | undefined,
    private readonly log: (level: LogLevel, message: string) => void
  ) {
    this.last = new Map(Object.entries(saved ?? {}));
  }

  /** `trigger` came due at `dueMs`: `run` it now, or once the gateway is back. */
  due(trigger: TimeTrigger, dueMs: number, run: () => void): void {
    if (this.core.link.down) {
      const previous = this.held.get(trigger);
      this.held.set(trigger, {
        trigger,
        dueMs,
        run,
        replaced: previous ? previous.replaced + 1 : 0,
      });
      return;
    }
    this.ran(trigger, dueMs);
    run();
  }

  /** The gateway is back: what is within the grace period runs, late and once; the rest is logged as missed. */
  release(): void {
    if (this.held.size === 0) return;
    const nowMs = this.core.clock.nowMs();
    const graceMs = this.core.missedAlarmGraceMs;
    const held = [...this.held.values()].sort((a, b) => a.dueMs - b.dueMs);
    this.held.clear();
    for (const { trigger, dueMs, replaced, run } of held) {
      const what = `"${trigger.describe()}" (due ${this.local(dueMs)}${replaced > 0 ? `, and ${replaced} earlier` : ''})`;
      if (nowMs - dueMs > graceMs) {
        this.log(
          'warn',
          `missed ${what}: the gateway was unreachable, and it is now more than ${describeDuration(graceMs)} late`
        );
        continue;
      }
      this.log('info', `${what} came due while the gateway was unreachable; running it now`);
      this.ran(trigger, dueMs);
      run();
    }
  }

  /**
   * At engine start: the latest occurrence of an alarm within the grace period before now runs if
   * the saved record says it has not run yet. Without a record (first start, a new rule) it is
   * left alone: running an alarm twice is worse than running it late.
   */
  catchUp(trigger: TimeTrigger, run: (property: string, value: unknown) => void): void {
    if (!trigger.isAlarm) return;
    const saved = this.last.get(trigger.describe());
    if (!saved) return;
    const now = this.core.clock.now();
    const due = trigger
      .upcoming(
        now.minus({ milliseconds: this.core.missedAlarmGraceMs }),
        now.plus({ milliseconds: 1 })
      )
      .pop();
    if (!due || due.at.toMillis() <= Date.parse(saved)) return;
    this.log(
      'info',
      `"${trigger.describe()}" came due at ${this.local(due.at.toMillis())} while the rule engine was down; running it now`
    );
    this.due(trigger, due.at.toMillis(), () => run(due.property, due.value));
  }

  clear(): void {
    this.held.clear();
  }

  private ran(trigger: TimeTrigger, dueMs: number): void {
    if (!trigger.isAlarm) return;
    const key = trigger.describe();
    const at = new Date(dueMs).toISOString();
    this.last.set(key, at);
    this.core.events.emit('occurrence', { ruleId: this.ruleId, trigger: key, at });
  }

  private local(ms: number): string {
    return DateTime.fromMillis(ms, { zone: this.core.clock.zone }).toFormat('yyyy-MM-dd HH:mm');
  }
}
