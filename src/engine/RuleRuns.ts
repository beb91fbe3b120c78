/**
 * How a rule's triggers become runs of its code: each firing passes the rule's echo check, the
 * loop guard (chain depth, rate) and its concurrency gate, then runs in the rule's scope with its
 * own Run (cause, abort signal, changes); a While rule's condition is followed and what its phase
 * changed is put back. Errors become the rule's status, never an exception out of the engine.
 */
import { describeDuration } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import { TimeTrigger } from '../triggers/TimeTrigger';
import type { Trigger } from '../triggers/Trigger';
import { isAbort } from './abort';
import { RunGate } from './concurrency';
import { describeSource, underlyingTrigger } from './describeTrigger';
import type { EngineCore, LogLevel } from './EngineCore';
import { messageOf } from './errorMessage';
import { RefusedInRule } from './FaultContainment';
import { Cause, causeOf, FiringRate, RATE_WINDOW_MS } from './LoopGuard';
import type { MissingThings } from './MissingThings';
import type { OccurrenceKeeper } from './OccurrenceKeeper';
import type { WriteOrigin } from './PropertyWriter';
import type { Rule, RuleHooks, RuleStatics, TriggerSource } from './Rule';
import { checkMaxRate, checkMode, checkTimeout, describeOf, RUN_BY_HAND } from './ruleStatics';
import { runInScope, RuleScope } from './RuleScope';
import { currentRun, Run } from './Run';
import { settleWithin } from './settleWithin';
import type { Delivery } from './ThingEventHub';
import { ThingChangeTrigger, PropertyTrigger, EventTrigger } from './ThingTriggers';
import type { WhilePhase } from './WhilePhase';
import type { WhileRule } from './WhileRule';

/** What the runs ask of their rule's runtime (whose writes a restore makes, too). */
export interface RunOwner extends WriteOrigin {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly isRunning: boolean;
  readonly instance: (Rule & RuleHooks) | undefined;
  readonly whilePhase: WhilePhase | undefined;
  readonly missing: MissingThings;
  readonly occurrences: OccurrenceKeeper;
  pause(reason: string): void;
  setStatus(status: string, level: LogLevel): void;
  log(level: LogLevel, message: string): void;
  changed(): void;
}

export class RuleRuns {
  private lifetime = new AbortController();
  private gate: RunGate | undefined;
  // firings caused by rules' writes (the loop guard's backstop)
  private readonly causedRate: FiringRate;
  // every firing, when the rule sets `static maxRate`
  private ownRate: FiringRate | undefined;
  private actionTimeoutMs: number;
  // method -> this rule's scope for it (one object each, so the probe compares them cheaply)
  private readonly scopes = new Map<string, RuleScope>();
  private refusedRuns = 0;
  private lastFiredAt: string | null = null;

  constructor(
    private readonly core: EngineCore,
    private readonly owner: RunOwner
  ) {
    this.causedRate = new FiringRate(core.loopGuard.maxFiresPerWindow, core.loopGuard.windowMs);
    this.actionTimeoutMs = core.actionTimeoutMs;
  }

  /** Takes the class's statics (mode, max, timeout, maxRate); throws naming a wrong one. */
  configure(cls: RuleStatics, isWhile: boolean): void {
    if (cls.timeout !== undefined) this.actionTimeoutMs = checkTimeout(cls.timeout);
    if (cls.maxRate !== undefined)
      this.ownRate = new FiringRate(checkMaxRate(cls.maxRate), RATE_WINDOW_MS);
    this.gate = new RunGate(
      checkMode(cls.mode ?? (isWhile ? 'restart' : 'single')),
      Math.max(1, cls.max ?? 10),
      () => this.owner.isRunning,
      () => this.owner.changed()
    );
  }

  get configured(): boolean {
    return this.gate !== undefined;
  }

  /** A run of the rule's code is under way (an aborted one still settling does not count). */
  get busy(): boolean {
    return this.gate?.busy ?? false;
  }

  get lastFired(): string | null {
    return this.lastFiredAt;
  }

  /** How many triggers were refused because the action still ran (mode "single", full queues). */
  get refused(): number {
    return this.refusedRuns;
  }

  /** The signal of the rule's life since it last started. */
  get signal(): AbortSignal {
    return this.lifetime.signal;
  }

  /** The rule starts: a new life, and the rates count afresh. */
  begin(): void {
    this.lifetime = new AbortController();
    this.causedRate.reset();
    this.ownRate?.reset();
  }

  /** The rule stops: every run is aborted. */
  end(reason: string): void {
    this.lifetime.abort(reason);
    this.gate?.abortAll(reason);
  }

  /** Runs rule code `method` in this rule's scope, so whatever it starts stays charged to the rule. */
  inScope<T>(method: string, fn: () => T): T {
    let scope = this.scopes.get(method);
    if (!scope)
      this.scopes.set(method, (scope = { ruleId: this.owner.id, file: this.owner.file, method }));
    return runInScope(scope, fn);
  }

  attach(source: TriggerSource, catchUp: boolean): void {
    try {
      const trigger = underlyingTrigger(source);
      const isThing =
        trigger instanceof ThingChangeTrigger ||
        trigger instanceof PropertyTrigger ||
        trigger instanceof EventTrigger;
      const context = {
        clock: this.core.clock,
        place: this.core.place,
        things: this.core.hub,
        warn: (message: string) => this.owner.log('warn', message),
      };
      const cancel = trigger.subscribe(context, (_t: Trigger, property: string, value: unknown) =>
        trigger instanceof TimeTrigger
          ? this.owner.occurrences.due(
              trigger,
              trigger.occurrence?.toMillis() ?? this.core.clock.nowMs(),
              () => this.dispatch(source, property, value, undefined)
            )
          : this.dispatch(source, property, value, isThing ? this.core.hub.delivery : undefined)
      );
      this.core.subscriptions.add(this.owner, cancel);
      if (catchUp && trigger instanceof TimeTrigger) {
        this.owner.occurrences.catchUp(trigger, (property, value) =>
          this.dispatch(source, property, value, undefined)
        );
      }
    } catch (error) {
      this.owner.setStatus(
        `failed to attach trigger ${describeSource(source)}: ${messageOf(error)}`,
        'error'
      );
    }
  }

  /** The reaction path: keep it cheap (no scans, no string work unless someone listens). */
  dispatch(
    source: TriggerSource | typeof RUN_BY_HAND,
    property: string,
    value: unknown,
    delivery: Delivery | undefined
  ): void {
    const owner = this.owner;
    if (!owner.isRunning) return;
    if (owner.missing.any) {
      owner.log('debug', `not run: ${owner.missing.problem}`);
      return;
    }
    // The echo of this rule's own write must not run it again (the bonded bulbs would oscillate).
    if (delivery && delivery.origin === owner) return;
    const cause = delivery?.cause;
    if (cause && cause.depth >= this.core.loopGuard.maxChainDepth) {
      this.core.loopDetected(causeOf(owner.id, owner.title, cause));
      return;
    }
    if (this.overRate(cause)) return;
    if (owner.whilePhase) {
      this.evaluateCondition(cause);
      return;
    }
    const rule = owner.instance!;
    const run = this.newRun(cause);
    const admitted = this.gate!.admit({
      start: () => {
        if (!owner.isRunning) return undefined;
        const pending = this.execute(
          run,
          () => rule.action?.(source, property, value),
          'action',
          source,
          property,
          value
        );
        return pending && this.limited(pending, run);
      },
      abort: (reason) => run.abort(reason),
    });
    if (admitted === 'refused') {
      this.refusedRuns++;
      owner.log(
        'info',
        `still running; trigger "${describeOf(source)}" refused (mode ${this.gate!.mode})`
      );
    }
  }

  /** Counts the firing; true (and the rule paused) when it was one too many. */
  private overRate(cause: Cause | undefined): boolean {
    const now = this.core.clock.nowMs();
    if (this.ownRate?.note(now)) {
      this.owner.pause(`${this.ownRate.describe()} (its static maxRate)`);
      return true;
    }
    if (cause && this.causedRate.note(now)) {
      this.owner.pause(this.causedRate.describe(" because of rules' writes"));
      return true;
    }
    return false;
  }

  evaluateCondition(cause: Cause | undefined): void {
    const rule = this.owner.instance as WhileRule;
    let holds: boolean;
    try {
      const run = this.newRun(cause);
      holds = Boolean(this.inScope('condition', () => currentRun.run(run, () => rule.condition())));
    } catch (error) {
      this.owner.setStatus(`error in condition: ${messageOf(error)}`, 'error');
      return;
    }
    const change = this.owner.whilePhase!.update(holds);
    if (change === 'began') {
      const run = this.newRun(cause);
      this.gate!.admit({
        start: () =>
          this.execute(
            run,
            () => rule.whileTrue(),
            'whileTrue',
            'its condition became true',
            'active',
            true
          ),
        abort: (reason) => run.abort(reason),
      });
      this.owner.changed();
    } else if (change === 'ended') {
      this.gate!.abortAll('condition ended');
      void this.restore(cause, 'its condition ended');
      this.owner.changed();
    }
  }

  /** The host saves what a While rule would put back, so a restarted engine still puts it back. */
  restoreListChanged(): void {
    this.core.events.emit('restoreList', {
      ruleId: this.owner.id,
      restore: this.owner.whilePhase!.recorded,
    });
  }

  /** Puts back what the While phase changed, as this rule's writes, and reports it as a firing. */
  restore(cause: Cause | undefined, why: string): Promise<void> {
    const recorded = this.owner.whilePhase!.takeRecorded();
    if (recorded.length > 0) this.restoreListChanged();
    const run = this.newRun(cause);
    const writes = currentRun.run(run, () =>
      this.core.writer.together(() =>
        recorded.map(({ thingId, name, value }) => {
          try {
            return this.core.writer
              .write(this.owner, thingId, name, value)
              ?.catch((error: unknown) => {
                this.owner.setStatus(`write refused: ${messageOf(error)}`, 'warn');
              });
          } catch (error) {
            this.owner.setStatus(`restore failed: ${messageOf(error)}`, 'warn');
            return undefined;
          }
        })
      )
    );
    // The runner's log and the page's history show what was put back, as for any firing.
    if (recorded.length > 0) this.fired(run, `${why}: put back`, 'active', false);
    return Promise.all(writes).then(() => undefined);
  }

  /** Runs `fn` as `run`; a throw or rejection becomes the status, an abort is a quiet end. */
  execute(
    run: Run,
    fn: () => void | Promise<void>,
    what: string,
    source?: TriggerSource | string | typeof RUN_BY_HAND,
    property?: string,
    value?: unknown
  ): Promise<void> | undefined {
    let result: void | Promise<void>;
    try {
      result = this.core.writer.together(() => this.inScope(what, () => currentRun.run(run, fn)));
    } catch (error) {
      // A refused process.exit() is a fault already, with its own status.
      if (!(error instanceof RefusedInRule))
        this.owner.setStatus(`error in ${what}: ${messageOf(error)}`, 'error');
      result = undefined;
    }
    const pending = !!result && typeof (result as Promise<void>).then === 'function';
    if (source !== undefined) this.fired(run, source, property!, value);
    if (!pending) return undefined;
    return (result as Promise<void>).then(undefined, (error: unknown) => {
      if (!isAbort(error) && !(error instanceof RefusedInRule))
        this.owner.setStatus(`error in ${what}: ${messageOf(error)}`, 'error');
    });
  }

  newRun(cause: Cause | undefined): Run {
    return new Run(
      causeOf(this.owner.id, this.owner.title, cause),
      this.lifetime.signal,
      this.core.events.listenerCount('fired') > 0
    );
  }

  private fired(
    run: Run,
    source: TriggerSource | string | typeof RUN_BY_HAND,
    property: string,
    value: unknown
  ): void {
    const at = new Date(this.core.clock.nowMs()).toISOString();
    this.lastFiredAt = at;
    if (this.core.events.listenerCount('fired') === 0) return;
    this.core.events.emit('fired', {
      ruleId: this.owner.id,
      at,
      trigger: typeof source === 'string' ? source : describeOf(source),
      property,
      value: value as JsonValue | undefined,
      changes: run.changes ?? [],
    });
  }

  /**
   * An async action may not hold its concurrency slot forever (a promise that never settles):
   * after the timeout it is aborted and given up, so the mode's next run can start.
   */
  private limited(pending: Promise<void>, run: Run): Promise<void> {
    const ms = this.actionTimeoutMs;
    return settleWithin(pending, this.core.clock, ms, () => {
      run.abort('timed out');
      this.owner.setStatus(
        `action did not finish within ${describeDuration(ms)}: it was abandoned so the rule can run again (mode ${this.gate!.mode})`,
        'warn'
      );
    });
  }
}
