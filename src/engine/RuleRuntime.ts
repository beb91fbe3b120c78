/**
 * One rule inside the engine: constructs and binds it, starts and stops it (triggers attached and
 * detached in one call, runs aborted), follows its settings and things, and keeps what the add-on
 * shows: enabled, active, lastFired, status. How firings become runs is RuleRuns'; what the rule
 * reaches through `this` is RuleReach's.
 */
import type { JsonValue } from '../protocol/gateway';
import { fillSettings, nextFireOf, ruleSentence } from './describeTrigger';
import type { EngineCore, LogLevel } from './EngineCore';
import { messageOf } from './errorMessage';
import { FaultCount, MAX_FAULTS } from './FaultCount';
import { Cause, causeOf } from './LoopGuard';
import type { RuleInfo } from './messages';
import { MissingThings } from './MissingThings';
import { OccurrenceKeeper } from './OccurrenceKeeper';
import { Rule, RuleHooks, RuleStatics, settingsOf, TriggerSource } from './Rule';
import type { RuleEntry } from './ruleEntry';
import { ruleTitle } from './ruleNaming';
import { ReachOwner, RuleReach } from './RuleReach';
import { RuleRuns, RunOwner } from './RuleRuns';
import { RuleStatus } from './RuleStatus';
import { applySetting, followSettings, SettingReport, unchosenThing } from './ruleSettings';
import { RUN_BY_HAND } from './ruleStatics';
import { ThingSetting } from './ThingSetting';
import { WhilePhase } from './WhilePhase';
import { WhileRule } from './WhileRule';

type RuleClass = (new () => Rule) & RuleStatics;

/** One rule; its RuleRuns and RuleReach reach back through the members marked "for them". */
export class RuleRuntime implements RunOwner, ReachOwner, SettingReport {
  readonly id: string;
  readonly file: string;
  readonly ruleId: string;
  private rule: (Rule & RuleHooks) | undefined;
  private enabled: boolean;
  private readonly status: RuleStatus;
  private running = false;
  private phase: WhilePhase | undefined;
  private description: string | undefined;
  // what triggers() returned, as attached (for triggeringThings and nextFire)
  private sources: TriggerSource[] = [];
  // setting name -> value given before the rule was constructed (persisted by the add-on)
  private readonly pendingSettings = new Map<string, JsonValue>();
  readonly missing = new MissingThings();
  readonly occurrences: OccurrenceKeeper;
  private readonly faults = new FaultCount();
  private readonly runs: RuleRuns;
  private readonly reach: RuleReach;

  constructor(
    private readonly core: EngineCore,
    private readonly entry: RuleEntry
  ) {
    this.id = entry.id;
    this.ruleId = entry.id;
    this.file = entry.file;
    this.enabled = entry.enabled ?? this.ruleClass()?.enabledByDefault ?? true;
    this.status = new RuleStatus(entry.loadError);
    for (const [name, value] of Object.entries(entry.settings ?? {}))
      this.pendingSettings.set(name, value);
    this.occurrences = new OccurrenceKeeper(core, entry.id, entry.occurrences, (level, message) =>
      this.log(level, message)
    );
    this.runs = new RuleRuns(core, this);
    this.reach = new RuleReach(core, this);
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get instance(): (Rule & RuleHooks) | undefined {
    return this.rule;
  }

  get whilePhase(): WhilePhase | undefined {
    return this.phase;
  }

  /** For RuleReach: what triggers() returned, as attached when the rule last started. */
  attachedSources(): TriggerSource[] {
    return this.sources;
  }

  /** For RuleReach: the signal of the rule's life since it last started. */
  lifetimeSignal(): AbortSignal {
    return this.runs.signal;
  }

  /** For RuleReach: a write through `thing.on = …` was refused (there is no promise to reject). */
  assignmentFailed(error: unknown): void {
    this.setStatus(`write refused: ${messageOf(error)}`, 'warn');
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
      this.rule = this.reach.bind(source, (construct) =>
        this.runs.inScope('constructor', construct)
      );
      const cls = this.ruleClass()!;
      this.phase = this.rule instanceof WhileRule ? new WhilePhase() : undefined;
      this.phase?.resume(this.entry.restore ?? []);
      this.entry.restore = undefined;
      this.runs.configure(cls, this.phase !== undefined);
      for (const [name, value] of this.pendingSettings)
        applySetting(this.rule, name, value, false, this);
      this.pendingSettings.clear();
      followSettings(this.rule, {
        restart: () => this.restart(),
        changed: () => {
          // The sentence names settings' values ("At 06:10", "over 20 minutes").
          this.description = undefined;
          const next = this.nextFire();
          this.changed();
          // Triggers that follow the setting re-arm after this listener: report their new time too.
          queueMicrotask(() => {
            if (this.nextFire() !== next) this.changed();
          });
        },
      });
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
    if (!rule || !this.runs.configured) return;
    // A thing setting not chosen (or its thing gone): the rule waits; its status says what to choose.
    if (this.unchosen()) {
      this.changed();
      return;
    }
    this.running = true;
    this.runs.begin();
    this.status.set('ok');
    const initial = this.runs.execute(
      this.runs.newRun(undefined),
      () => rule.initialState?.(),
      'initialState'
    );
    if (!this.running) return;
    let sources: TriggerSource[];
    try {
      sources = this.runs.inScope('triggers', () => [...(rule.triggers?.() ?? [])]);
    } catch (error) {
      this.stop();
      this.setStatus(`failed to start: error in triggers(): ${messageOf(error)}`, 'error');
      return;
    }
    this.sources = sources;
    this.description = undefined;
    for (const source of sources) this.runs.attach(source, catchUp);
    if (this.phase && this.running) this.runs.evaluateCondition(undefined);
    // The previous engine ended in the active phase, and the condition no longer holds.
    if (this.phase?.leftOver && this.running)
      void this.runs.restore(undefined, 'its condition no longer held after a restart');
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
    this.runs.end('rule stopped');
    const restored = this.phase?.active
      ? this.runs.restore(undefined, 'it was switched off')
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
    const last = `the last: ${description}`;
    if (this.faults.note(this.core.clock.nowMs()) && this.enabled)
      this.switchOff(`switched off after ${MAX_FAULTS} faults within 10 minutes; ${last}`);
    else this.setStatus(description, 'error');
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
    if (!this.reach.uses(thingId)) return;
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
    return this.status.failedToStart;
  }

  /** Validates and applies a setting; throws with the rule, the setting and the allowed form. */
  setSetting(name: string, value: JsonValue): void {
    if (!this.rule) {
      if (this.entry.loadError)
        throw new Error(`Rule "${this.title}" did not load; it has no settings`);
      this.pendingSettings.set(name, value);
      return;
    }
    applySetting(this.rule, name, value, true, this);
  }

  /** Runs the action now, as if triggered (the RuleThing's `run` action). */
  runNow(): void {
    if (!this.running) {
      this.log('warn', 'not run: the rule is switched off or not started');
      return;
    }
    this.runs.dispatch(RUN_BY_HAND, 'run', true, undefined);
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
      lastFired: this.runs.lastFired,
      nextFire: this.nextFire(),
      status: this.status.shown(this.core.link.problem ?? this.unchosen() ?? this.missing.problem),
    };
  }

  /** Type warnings of the rule's file: shown after an "ok", never a reason to stop. */
  setWarnings(warnings: string[]): void {
    if (this.status.setWarnings(warnings)) this.changed();
  }

  /** "choose a Light" while a thing setting has no thing (or its thing is gone), else undefined. */
  private unchosen(): string | undefined {
    return this.rule && unchosenThing(this.rule);
  }

  /** Runs triggers() again with the settings as they are now. */
  private restart(): void {
    if (this.running) void this.stop();
    if (this.enabled) this.start();
  }

  /** A While phase holds or an async action runs (an aborted one still settling does not count). */
  isActive(): boolean {
    return this.running && ((this.phase?.active ?? false) || this.runs.busy);
  }

  idleCause(): Cause {
    return causeOf(this.id, this.title, undefined);
  }

  beforeWrite(thingId: string, name: string, previous: JsonValue | undefined): void {
    if (this.phase?.record(thingId, name, previous)) this.runs.restoreListChanged();
  }

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

  setStatus(status: string, level: LogLevel): void {
    this.log(level, status);
    if (this.status.set(status)) this.changed();
  }

  changed(): void {
    if (this.core.events.listenerCount('ruleChanged') > 0)
      this.core.events.emit('ruleChanged', this.info());
  }

  private nextFire(): string | null {
    return nextFireOf(this.running ? this.sources : []);
  }

  log(level: LogLevel, message: string): void {
    this.core.log(level, `${this.title}: ${message}`);
  }

  private ruleClass(): RuleClass | undefined {
    const source = this.entry.source;
    if (!source) return undefined;
    return (typeof source === 'function' ? source : source.constructor) as RuleClass;
  }
}
