/**
 * One rule inside the engine: constructs and binds it, starts and stops it (triggers attached and
 * detached in one call, runs aborted), routes each trigger through the loop guard and its
 * concurrency gate, and keeps what the add-on shows: enabled, active, lastFired, status.
 */
import { describeDuration, parseDuration } from '../clock';
import { TimeTrigger } from '../triggers/TimeTrigger';
import type { Trigger } from '../triggers/Trigger';
import { isAbort, sleepOn } from './abort';
import type { RuleMode } from './concurrency';
import { RunGate } from './concurrency';
import { describeSource, fillSettings, ruleSentence, underlyingTrigger } from './describeTrigger';
import type { EngineCore, LogLevel } from './EngineCore';
import { messageOf } from './errorMessage';
import type { JsonValue } from './gateway';
import { RefusedInRule } from './FaultContainment';
import { FaultCount, MAX_FAULTS } from './FaultCount';
import { Cause, causeOf, FiringRate, RATE_WINDOW_MS } from './LoopGuard';
import type { RuleInfo } from './messages';
import { MissingThings } from './MissingThings';
import { OccurrenceKeeper } from './OccurrenceKeeper';
import type { WriteOrigin } from './PropertyWriter';
import {
  bindRule,
  constructRule,
  Rule,
  RuleBinding,
  RuleHooks,
  RuleLog,
  RuleStatics,
  settingsOf,
  TriggerSource,
} from './Rule';
import { ruleTitle } from './ruleNaming';
import { runInScope, RuleScope } from './RuleScope';
import { currentRun, Run } from './Run';
import { settleWithin } from './settleWithin';
import { createThingProxy, isThingProxy, ThingProxy } from './ThingProxy';
import { createRulesDirectory, createThingsDirectory } from './ThingsDirectory';
import { ThingSetting } from './ThingSetting';
import type { Delivery } from './ThingEventHub';
import { ThingChangeTrigger, PropertyTrigger, EventTrigger } from './ThingTriggers';
import { Recorded, WhilePhase } from './WhilePhase';
import { WhileRule } from './WhileRule';

export type RuleSource = (new () => Rule) | Rule;

export interface RuleEntry {
  id: string;
  file: string;
  /** The class or instance; absent for a file that failed to load. */
  source?: RuleSource;
  /** Class name for a failed file (its base name). */
  name?: string;
  /** Set for a file that failed to load: the status it shows, forever. */
  loadError?: string;
  enabled?: boolean;
  settings?: Record<string, JsonValue>;
  /** Saved last fired occurrence per alarm trigger. */
  occurrences?: Record<string, string>;
  /** What a While rule had to put back when the previous engine ended (see WhilePhase.resume). */
  restore?: Recorded[];
}

type RuleClass = (new () => Rule) & RuleStatics;

export class RuleRuntime implements WriteOrigin {
  readonly id: string;
  readonly file: string;
  readonly ruleId: string;
  private rule: (Rule & RuleHooks) | undefined;
  private enabled: boolean;
  private status = 'ok';
  // the type checker's findings in the rule's file ("wake.ts:12:5: …")
  private warnings: string[] = [];
  private lastFired: string | null = null;
  private running = false;
  private lifetime = new AbortController();
  private gate: RunGate | undefined;
  // firings caused by rules' writes (the loop guard's backstop)
  private causedRate: FiringRate;
  // every firing, when the rule sets `static maxRate`
  private ownRate: FiringRate | undefined;
  private phase: WhilePhase | undefined;
  private description: string | undefined;
  // what triggers() returned, as attached (for triggeringThings and nextFire)
  private sources: TriggerSource[] = [];
  // thing id -> this rule's proxy of it (writes through it are this rule's)
  private readonly proxies = new Map<string, ThingProxy>();
  private thingsProxy: Record<string, ThingProxy> | undefined;
  private rulesProxy: Record<string, ThingProxy> | undefined;
  // setting name -> value given before the rule was constructed (persisted by the add-on)
  private readonly pendingSettings = new Map<string, JsonValue>();
  private refusedRuns = 0;
  private readonly missing = new MissingThings();
  private readonly occurrences: OccurrenceKeeper;
  private actionTimeoutMs: number;
  private readonly faults = new FaultCount();
  // method -> this rule's scope for it (one object each, so the probe compares them cheaply)
  private readonly scopes = new Map<string, RuleScope>();

  constructor(
    private readonly core: EngineCore,
    private readonly entry: RuleEntry
  ) {
    this.id = entry.id;
    this.ruleId = entry.id;
    this.file = entry.file;
    this.enabled = entry.enabled ?? this.ruleClass()?.enabledByDefault ?? true;
    if (entry.loadError) this.status = entry.loadError;
    for (const [name, value] of Object.entries(entry.settings ?? {}))
      this.pendingSettings.set(name, value);
    this.causedRate = new FiringRate(core.loopGuard.maxFiresPerWindow, core.loopGuard.windowMs);
    this.actionTimeoutMs = core.actionTimeoutMs;
    this.occurrences = new OccurrenceKeeper(core, entry.id, entry.occurrences, (level, message) =>
      this.log(level, message)
    );
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get instance(): Rule | undefined {
    return this.rule;
  }

  get title(): string {
    const cls = this.ruleClass();
    return cls?.title ?? ruleTitle(this.name);
  }

  get name(): string {
    return this.ruleClass()?.name || this.entry.name || this.id;
  }

  /** Constructs (or binds) the rule once the gateway's things are known; a failure becomes the status. */
  create(): void {
    if (this.rule || this.entry.loadError || !this.entry.source) return;
    const source = this.entry.source;
    try {
      const binding = this.binding();
      this.rule =
        typeof source === 'function'
          ? this.inScope('constructor', () => constructRule(binding, () => new source()))
          : source;
      if (typeof source !== 'function') bindRule(this.rule, binding);
      const cls = this.ruleClass()!;
      this.phase = this.rule instanceof WhileRule ? new WhilePhase() : undefined;
      this.phase?.resume(this.entry.restore ?? []);
      this.entry.restore = undefined;
      if (cls.timeout !== undefined) this.actionTimeoutMs = checkTimeout(cls.timeout);
      if (cls.maxRate !== undefined)
        this.ownRate = new FiringRate(checkMaxRate(cls.maxRate), RATE_WINDOW_MS);
      this.gate = new RunGate(
        checkMode(cls.mode ?? (this.phase ? 'restart' : 'single')),
        Math.max(1, cls.max ?? 10),
        () => this.running,
        () => this.changed()
      );
      for (const [name, value] of this.pendingSettings) this.applySetting(name, value, false);
      this.pendingSettings.clear();
      for (const setting of settingsOf(this.rule).values()) {
        // Another thing (or a setting that shapes the triggers) means triggers() must run again.
        if (setting instanceof ThingSetting || setting.options.restart)
          setting.onChange(() => this.restart());
        setting.onChange(() => {
          // The sentence names settings' values ("At 06:10", "over 20 minutes").
          this.description = undefined;
          const next = this.nextFire();
          this.changed();
          // Triggers that follow the setting re-arm after this listener: report their new time too.
          queueMicrotask(() => {
            if (this.nextFire() !== next) this.changed();
          });
        });
      }
    } catch (error) {
      this.rule = undefined;
      this.setStatus(`failed to start: ${messageOf(error)}`, 'error');
    }
  }

  /**
   * Starts the rule if it is enabled and constructed: initial state, then triggers. `catchUp`
   * (only when the engine starts) runs an alarm that came due while the engine was down.
   */
  start(catchUp = false): void {
    if (!this.enabled || this.running) return;
    if (!this.rule) this.create();
    const rule = this.rule;
    if (!rule || !this.gate) return;
    // A thing setting not chosen (or its thing gone): the rule waits; its status says what to choose.
    if (this.unchosen()) {
      this.changed();
      return;
    }
    this.running = true;
    this.lifetime = new AbortController();
    this.causedRate.reset();
    this.ownRate?.reset();
    this.status = 'ok';
    const initial = this.execute(
      this.newRun(undefined),
      () => rule.initialState?.(),
      'initialState'
    );
    if (!this.running) return;
    let sources: TriggerSource[];
    try {
      sources = this.inScope('triggers', () => [...(rule.triggers?.() ?? [])]);
    } catch (error) {
      this.stop();
      this.setStatus(`failed to start: error in triggers(): ${messageOf(error)}`, 'error');
      return;
    }
    this.sources = sources;
    this.description = undefined;
    for (const source of sources) this.attach(source, catchUp);
    if (this.phase && this.running) this.evaluateCondition(undefined);
    // The previous engine ended in the active phase, and the condition no longer holds.
    if (this.phase?.leftOver && this.running)
      void this.restore(undefined, 'its condition no longer held after a restart');
    void initial;
    this.changed();
  }

  /** Detaches every trigger and aborts every run; a While rule's changes are put back. */
  stop(): Promise<void> {
    if (!this.running) return Promise.resolve();
    this.running = false;
    this.occurrences.clear();
    for (const error of this.core.subscriptions.drop(this)) {
      this.log('warn', `stopping a trigger failed: ${messageOf(error)}`);
    }
    this.lifetime.abort('rule stopped');
    this.gate?.abortAll('rule stopped');
    const restored = this.phase?.active
      ? this.restore(undefined, 'it was switched off')
      : Promise.resolve();
    this.changed();
    return restored;
  }

  /** Switches the rule on (starting it if `canStart`: the gateway is connected) or off (stopping it). */
  setEnabled(enabled: boolean, canStart: boolean): Promise<void> {
    if (this.entry.loadError || enabled === this.enabled) return Promise.resolve();
    this.enabled = enabled;
    if (!enabled) {
      const stopped = this.stop();
      this.changed();
      return stopped;
    }
    if (canStart) this.start();
    this.changed();
    return Promise.resolve();
  }

  /** Pauses the rule for the loop guard: switched off, with the reason as status. */
  pause(reason: string): void {
    if (!this.enabled && !this.running) return;
    this.enabled = false;
    void this.stop();
    this.setStatus(`paused by loop guard: ${reason}`, 'warn');
  }

  /**
   * An error escaped this rule's code (a throwing timer, an unawaited promise that rejected, an
   * attempt to end the engine): it becomes the status; the third within ten minutes switches the
   * rule off, and the host saves it so.
   */
  fault(description: string): void {
    if (!this.faults.note(this.core.clock.nowMs()) || !this.enabled) {
      this.setStatus(description, 'error');
      return;
    }
    this.switchOff(
      `switched off after ${MAX_FAULTS} faults within 10 minutes; the last: ${description}`
    );
  }

  /** Switches the rule off for a fault of its own, `reason` as its status; the host saves it so. */
  switchOff(reason: string): void {
    if (!this.enabled) return;
    this.enabled = false;
    void this.stop();
    this.setStatus(reason, 'error');
    this.core.events.emit('switchedOff', { ruleId: this.id, reason });
  }

  /** A thing left the gateway: a rule that uses it waits, and its status names it. */
  thingRemoved(thingId: string, title: string): void {
    if (!this.proxies.has(thingId)) return;
    this.missing.add(thingId, title);
    this.log('warn', this.missing.problem!);
    this.changed();
  }

  /** A thing came (back) to the gateway: a rule that waited for it may resume. */
  thingReturned(thingId: string): void {
    if (!this.missing.delete(thingId)) return;
    if (!this.missing.any) this.log('info', 'resumes: every thing it uses is back');
    this.changed();
  }

  /**
   * Things came, went or were renamed: what thing settings offer changed, and a chosen thing may
   * have gone (the rule stops) or come back (it starts again).
   */
  thingsChanged(): void {
    if (!this.rule || ![...settingsOf(this.rule).values()].some((s) => s instanceof ThingSetting))
      return;
    const unchosen = this.unchosen();
    if (unchosen && this.running) void this.stop();
    else if (!unchosen && this.enabled && !this.running) this.start();
    // The sentence names the chosen things by title.
    this.description = undefined;
    this.changed();
  }

  /** The gateway became reachable or unreachable: the status says so, and held alarms run. */
  gatewayChanged(): void {
    if (!this.core.link.down) this.occurrences.release();
    this.changed();
  }

  /** Enabled but not started because construction or triggers() failed (a missing thing…). */
  get failedToStart(): boolean {
    return this.status.startsWith('failed to start');
  }

  /** Validates and applies a setting; throws with the rule, the setting and the allowed form. */
  setSetting(name: string, value: JsonValue): void {
    if (!this.rule) {
      if (this.entry.loadError)
        throw new Error(`Rule "${this.title}" did not load; it has no settings`);
      this.pendingSettings.set(name, value);
      return;
    }
    this.applySetting(name, value, true);
  }

  /** Runs the action now, as if triggered (the RuleThing's `run` action). */
  runNow(): void {
    if (!this.running) {
      this.log('warn', 'not run: the rule is switched off or not started');
      return;
    }
    this.dispatch(RUN_BY_HAND, 'run', true, undefined);
  }

  info(): RuleInfo {
    const cls = this.ruleClass();
    return {
      id: this.id,
      name: this.name,
      title: this.title,
      file: this.file,
      description: this.describe(),
      kind: this.phase || cls?.prototype instanceof WhileRule ? 'while' : 'if',
      settings: this.rule ? [...settingsOf(this.rule).values()].map((s) => s.info()) : [],
      enabled: this.enabled,
      active: this.isActive(),
      lastFired: this.lastFired,
      nextFire: this.nextFire(),
      status: this.shownStatus(),
    };
  }

  /** Type warnings of the rule's file: shown after an "ok", never a reason to stop. */
  setWarnings(warnings: string[]): void {
    if (warnings.join('\n') === this.warnings.join('\n')) return;
    this.warnings = warnings;
    this.changed();
  }

  /**
   * A load error first; then why the rule cannot act now (no gateway, a missing thing); then its
   * own last word, with its file's type warnings when that is "ok".
   */
  private shownStatus(): string {
    if (this.entry.loadError) return this.status;
    const status = this.core.link.problem ?? this.unchosen() ?? this.missing.problem ?? this.status;
    if (status !== 'ok' || this.warnings.length === 0) return status;
    const more = this.warnings.length > 1 ? ` (and ${this.warnings.length - 1} more)` : '';
    return `ok, with warnings: ${this.warnings[0]}${more}`;
  }

  /** "choose a Light" while a thing setting has no thing (or its thing is gone), else undefined. */
  private unchosen(): string | undefined {
    if (!this.rule) return undefined;
    for (const setting of settingsOf(this.rule).values()) {
      const missing = setting instanceof ThingSetting ? setting.missing() : undefined;
      if (missing) return missing;
    }
    return undefined;
  }

  /** Runs triggers() again with the settings as they are now. */
  private restart(): void {
    if (this.running) void this.stop();
    if (this.enabled) this.start();
  }

  /**
   * An async action may not hold its concurrency slot forever (a promise that never settles):
   * after the timeout it is aborted and given up, so the mode's next run can start.
   */
  private limited(pending: Promise<void>, run: Run): Promise<void> {
    const ms = this.actionTimeoutMs;
    return settleWithin(pending, this.core.clock, ms, () => {
      run.abort('timed out');
      this.setStatus(
        `action did not finish within ${describeDuration(ms)}: it was abandoned so the rule can run again (mode ${this.gate!.mode})`,
        'warn'
      );
    });
  }

  /** A While phase holds or an async action runs (an aborted one still settling does not count). */
  private isActive(): boolean {
    return this.running && ((this.phase?.active ?? false) || (this.gate?.busy ?? false));
  }

  // ---- WriteOrigin ----

  idleCause(): Cause {
    return causeOf(this.id, this.title, undefined);
  }

  beforeWrite(thingId: string, name: string, previous: JsonValue | undefined): void {
    if (this.phase?.record(thingId, name, previous)) this.restoreListChanged();
  }

  // ---- triggers and runs ----

  private attach(source: TriggerSource, catchUp: boolean): void {
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
        warn: (message: string) => this.log('warn', message),
      };
      const cancel = trigger.subscribe(context, (_t: Trigger, property: string, value: unknown) =>
        trigger instanceof TimeTrigger
          ? this.occurrences.due(
              trigger,
              trigger.occurrence?.toMillis() ?? this.core.clock.nowMs(),
              () => this.dispatch(source, property, value, undefined)
            )
          : this.dispatch(source, property, value, isThing ? this.core.hub.delivery : undefined)
      );
      this.core.subscriptions.add(this, cancel);
      if (catchUp && trigger instanceof TimeTrigger) {
        this.occurrences.catchUp(trigger, (property, value) =>
          this.dispatch(source, property, value, undefined)
        );
      }
    } catch (error) {
      this.setStatus(
        `failed to attach trigger ${describeSource(source)}: ${messageOf(error)}`,
        'error'
      );
    }
  }

  /** The reaction path: keep it cheap (no scans, no string work unless someone listens). */
  private dispatch(
    source: TriggerSource | typeof RUN_BY_HAND,
    property: string,
    value: unknown,
    delivery: Delivery | undefined
  ): void {
    if (!this.running) return;
    if (this.missing.any) {
      this.log('debug', `not run: ${this.missing.problem}`);
      return;
    }
    // The echo of this rule's own write must not run it again (the bonded bulbs would oscillate).
    if (delivery && delivery.origin === this) return;
    const cause = delivery?.cause;
    if (cause && cause.depth >= this.core.loopGuard.maxChainDepth) {
      this.core.loopDetected(causeOf(this.id, this.title, cause));
      return;
    }
    if (this.overRate(cause)) return;
    if (this.phase) {
      this.evaluateCondition(cause);
      return;
    }
    const rule = this.rule!;
    const run = this.newRun(cause);
    const admitted = this.gate!.admit({
      start: () => {
        if (!this.running) return undefined;
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
      this.log(
        'info',
        `still running; trigger "${describeOf(source)}" refused (mode ${this.gate!.mode})`
      );
    }
  }

  /** Counts the firing; true (and the rule paused) when it was one too many. */
  private overRate(cause: Cause | undefined): boolean {
    const now = this.core.clock.nowMs();
    if (this.ownRate?.note(now)) {
      this.pause(`${this.ownRate.describe()} (its static maxRate)`);
      return true;
    }
    if (cause && this.causedRate.note(now)) {
      this.pause(this.causedRate.describe(" because of rules' writes"));
      return true;
    }
    return false;
  }

  private evaluateCondition(cause: Cause | undefined): void {
    const rule = this.rule as WhileRule;
    let holds: boolean;
    try {
      const run = this.newRun(cause);
      holds = Boolean(this.inScope('condition', () => currentRun.run(run, () => rule.condition())));
    } catch (error) {
      this.setStatus(`error in condition: ${messageOf(error)}`, 'error');
      return;
    }
    const change = this.phase!.update(holds);
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
      this.changed();
    } else if (change === 'ended') {
      this.gate!.abortAll('condition ended');
      void this.restore(cause, 'its condition ended');
      this.changed();
    }
  }

  /** The host saves what a While rule would put back, so a restarted engine still puts it back. */
  private restoreListChanged(): void {
    this.core.events.emit('restoreList', { ruleId: this.id, restore: this.phase!.recorded });
  }

  /** Puts back what the While phase changed, as this rule's writes, and reports it as a firing. */
  private restore(cause: Cause | undefined, why: string): Promise<void> {
    const recorded = this.phase!.takeRecorded();
    if (recorded.length > 0) this.restoreListChanged();
    const run = this.newRun(cause);
    const writes = currentRun.run(run, () =>
      recorded.map(({ thingId, name, value }) => {
        try {
          return this.core.writer.write(this, thingId, name, value)?.catch((error: unknown) => {
            this.setStatus(`write refused: ${messageOf(error)}`, 'warn');
          });
        } catch (error) {
          this.setStatus(`restore failed: ${messageOf(error)}`, 'warn');
          return undefined;
        }
      })
    );
    // The runner's log and the page's history show what was put back, as for any firing.
    if (recorded.length > 0) this.fired(run, `${why}: put back`, 'active', false);
    return Promise.all(writes).then(() => undefined);
  }

  /** Runs rule code `method` in this rule's scope, so whatever it starts stays charged to the rule. */
  private inScope<T>(method: string, fn: () => T): T {
    let scope = this.scopes.get(method);
    if (!scope) this.scopes.set(method, (scope = { ruleId: this.id, file: this.file, method }));
    return runInScope(scope, fn);
  }

  /** Runs `fn` as `run`; a throw or rejection becomes the status, an abort is a quiet end. */
  private execute(
    run: Run,
    fn: () => void | Promise<void>,
    what: string,
    source?: TriggerSource | string | typeof RUN_BY_HAND,
    property?: string,
    value?: unknown
  ): Promise<void> | undefined {
    let result: void | Promise<void>;
    try {
      result = this.inScope(what, () => currentRun.run(run, fn));
    } catch (error) {
      // A refused process.exit() is a fault already, with its own status.
      if (!(error instanceof RefusedInRule))
        this.setStatus(`error in ${what}: ${messageOf(error)}`, 'error');
      result = undefined;
    }
    const pending = !!result && typeof (result as Promise<void>).then === 'function';
    if (source !== undefined) this.fired(run, source, property!, value);
    if (!pending) return undefined;
    return (result as Promise<void>).then(undefined, (error: unknown) => {
      if (!isAbort(error) && !(error instanceof RefusedInRule))
        this.setStatus(`error in ${what}: ${messageOf(error)}`, 'error');
    });
  }

  private fired(
    run: Run,
    source: TriggerSource | string | typeof RUN_BY_HAND,
    property: string,
    value: unknown
  ): void {
    const at = new Date(this.core.clock.nowMs()).toISOString();
    this.lastFired = at;
    if (this.core.events.listenerCount('fired') === 0) return;
    this.core.events.emit('fired', {
      ruleId: this.id,
      at,
      trigger: typeof source === 'string' ? source : describeOf(source),
      property,
      value: value as JsonValue | undefined,
      changes: run.changes ?? [],
    });
  }

  private newRun(cause: Cause | undefined): Run {
    return new Run(
      causeOf(this.id, this.title, cause),
      this.lifetime.signal,
      this.core.events.listenerCount('fired') > 0
    );
  }

  private applySetting(name: string, value: JsonValue, strict: boolean): void {
    const setting = settingsOf(this.rule!).get(name);
    if (!setting) {
      const known = [...settingsOf(this.rule!).keys()].join(', ') || 'none';
      const message = `Rule "${this.title}" has no setting "${name}" (it has ${known})`;
      if (strict) throw new Error(message);
      this.log('warn', `${message}; saved value ignored`);
      return;
    }
    // A person picks among the things offered now; a saved choice may name one that is away.
    const problem =
      strict && setting instanceof ThingSetting
        ? setting.choiceProblem(value)
        : setting.problem(value);
    if (problem) {
      const message = `Invalid setting: rule "${this.title}" setting "${name}" = ${problem}; the value stays ${JSON.stringify(setting.value)}`;
      if (strict) throw new Error(message);
      this.log('warn', message);
      return;
    }
    try {
      setting.assign(value);
    } catch (error) {
      // The value is kept; a trigger that could not follow it says so in the status.
      this.setStatus(`a trigger could not follow setting "${name}": ${messageOf(error)}`, 'error');
    }
  }

  // ---- what rules reach through `this` ----

  private binding(): RuleBinding {
    const core = this.core;
    const log = (level: LogLevel) => (message: string) => this.log(level, message);
    const ruleLog: RuleLog = {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
    };
    const methods = {
      thing: (titleOrId: string) => {
        const thingId = core.store.find(titleOrId);
        if (!thingId) {
          throw new Error(
            `Unknown thing: no thing has the title or id "${titleOrId}" (${core.store.suggest(titleOrId)})`
          );
        }
        return this.proxy(thingId);
      },
      thingList: () => [...core.store.ids()].map((id) => core.store.get(id)!.description),
      sleep: (duration: string | number) =>
        sleepOn(core.clock, parseDuration(duration), this.signals()),
      log: ruleLog,
    };
    // Getters, because what they return changes while the rule lives (things, the current run).
    return Object.defineProperties(methods, {
      things: { get: () => this.things() },
      rules: {
        get: () =>
          (this.rulesProxy ??= createRulesDirectory(this.core.store, (id) => this.proxy(id))),
      },
      sun: { get: () => core.sun },
      clock: { get: () => core.clock },
      signal: { get: () => currentRun.getStore()?.signal ?? this.lifetime.signal },
      triggeringThings: { get: () => this.sources.filter(isThingProxy) },
      active: { get: () => this.isActive() },
    }) as unknown as RuleBinding;
  }

  private signals(): AbortSignal[] {
    const run = currentRun.getStore();
    return run ? run.signals : [this.lifetime.signal];
  }

  private proxy(thingId: string): ThingProxy {
    let proxy = this.proxies.get(thingId);
    if (!proxy) {
      proxy = createThingProxy(
        {
          writer: this.core.writer,
          store: this.core.store,
          clock: this.core.clock,
          origin: this,
          signals: () => this.signals(),
          assignmentFailed: (error) => this.setStatus(`write refused: ${messageOf(error)}`, 'warn'),
        },
        thingId
      );
      this.proxies.set(thingId, proxy);
    }
    return proxy;
  }

  private things(): Record<string, ThingProxy> {
    this.thingsProxy ??= createThingsDirectory(this.core.store, (thingId) => this.proxy(thingId));
    return this.thingsProxy;
  }

  // ---- what the add-on shows ----

  private describe(): string {
    if (this.description !== undefined) return this.description;
    if (!this.rule) return this.entry.loadError ? `Rule file ${this.file} did not load` : '';
    const action = this.ruleClass()?.description;
    this.description = ruleSentence(
      this.phase ? 'while' : 'if',
      this.triggerSources(),
      action === undefined ? undefined : fillSettings(action, settingsOf(this.rule))
    );
    return this.description;
  }

  /** What triggers() returned: as attached while the rule runs, asked afresh while it does not. */
  triggerSources(): TriggerSource[] {
    if (this.running || !this.rule) return this.sources;
    try {
      return [...(this.rule.triggers?.() ?? [])];
    } catch {
      return [];
    }
  }

  private nextFire(): string | null {
    if (!this.running) return null;
    let next: number | null = null;
    for (const source of this.sources) {
      const trigger = underlyingTrigger(source) as Trigger & {
        nextFire?: () => { toMillis(): number } | null;
      };
      const at =
        typeof trigger.nextFire === 'function' ? trigger.nextFire()?.toMillis() : undefined;
      if (at !== undefined && (next === null || at < next)) next = at;
    }
    return next === null ? null : new Date(next).toISOString();
  }

  private setStatus(status: string, level: LogLevel): void {
    this.log(level, status);
    if (status === this.status) return;
    this.status = status;
    this.changed();
  }

  private changed(): void {
    if (this.core.events.listenerCount('ruleChanged') > 0)
      this.core.events.emit('ruleChanged', this.info());
  }

  private log(level: LogLevel, message: string): void {
    this.core.log(level, `${this.title}: ${message}`);
  }

  private ruleClass(): RuleClass | undefined {
    const source = this.entry.source;
    if (!source) return undefined;
    return (typeof source === 'function' ? source : source.constructor) as RuleClass;
  }

  /** How many triggers were refused because the action still ran (mode "single", full queues). */
  get refused(): number {
    return this.refusedRuns;
  }
}

/** The trigger reported when the rule is run by hand (the RuleThing's `run` action). */
export const RUN_BY_HAND = Object.freeze({ describe: () => 'run by hand' });

function describeOf(source: TriggerSource | typeof RUN_BY_HAND): string {
  return source === RUN_BY_HAND ? 'run by hand' : describeSource(source as TriggerSource);
}

function checkTimeout(timeout: string | number): number {
  const ms = parseDuration(timeout);
  if (!(ms > 0)) {
    throw new Error(
      `static timeout must be a positive duration such as "30m", not ${JSON.stringify(timeout)}`
    );
  }
  return ms;
}

function checkMaxRate(maxRate: unknown): number {
  if (typeof maxRate === 'number' && Number.isInteger(maxRate) && maxRate >= 1) return maxRate;
  throw new Error(
    `static maxRate must be a whole number of firings a minute, 1 or more, not ${JSON.stringify(maxRate)}`
  );
}

function checkMode(mode: unknown): RuleMode {
  if (mode === 'single' || mode === 'restart' || mode === 'queued' || mode === 'parallel')
    return mode;
  throw new Error(
    `static mode must be "single", "restart", "queued" or "parallel", not ${JSON.stringify(mode)}`
  );
}
