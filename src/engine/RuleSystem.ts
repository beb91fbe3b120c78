/**
 * The engine's composition root (like zigbee2mqtt's controller): builds the shared services,
 * holds the visible list of rules, connects to the gateway, starts and stops each rule so that
 * one rule's failure is its own status and never the others' problem. Its commands and events
 * map 1:1 to the worker messages of messages.ts.
 */
import { Cancel, Clock, parseDuration } from '../clock';
import { Sun } from '../triggers/Sun';
import type { Place, Trigger } from '../triggers/Trigger';
import type { EngineCore, LogLevel, RuleSystemEvents } from './EngineCore';
import { underlyingTrigger } from './describeTrigger';
import type { GatewayConnection, GatewayEvents, JsonValue } from '../protocol/gateway';
import { messageOf } from './errorMessage';
import { GatewayStatus } from './GatewayStatus';
import { InFlightWrites } from './InFlightWrites';
import { Cause, DEFAULT_LOOP_GUARD, LoopGuardOptions, loopMembers } from './LoopGuard';
import type { RuleInfo } from './messages';
import { OwnedSubscriptions } from './OwnedSubscriptions';
import { PropertyWriter } from './PropertyWriter';
import type { Rule } from './Rule';
import { ruleId as makeRuleId } from './ruleNaming';
import type { RuleEntry, RuleSource } from './ruleEntry';
import { RuleRuntime } from './RuleRuntime';
import type { RuleScope } from './RuleScope';
import { ThingEventHub } from './ThingEventHub';
import { ThingStore } from './ThingStore';
import { TypedEmitter } from './TypedEmitter';
import type { Recorded } from './WhilePhase';

export interface RuleSystemOptions {
  gateway: GatewayConnection;
  clock: Clock;
  /** Where the sun is computed for solar triggers and `this.sun`. */
  place: Place;
  loopGuard?: Partial<LoopGuardOptions>;
  /** Every log line also goes here (besides the `log` event). */
  log?: (level: LogLevel, message: string) => void;
  /** How late an alarm due while the gateway (or the engine) was down may still run; default "5m". */
  missedAlarmGrace?: string | number;
  /** How long an async action may run before it is abandoned; default "1h" (a rule's `static timeout` wins). */
  actionTimeout?: string | number;
}

/** Where a rule comes from and what the add-on saved for it. */
export interface AddRuleOptions {
  /** Stable id; default derived from `file` and the class name. */
  id?: string;
  /** The file it came from, relative to the rules folder. */
  file?: string;
  /** Saved on/off state; default the class's `enabledByDefault`. */
  enabled?: boolean;
  /** Saved setting values; invalid ones are logged and ignored. */
  settings?: Record<string, JsonValue>;
  /** Saved last fired occurrence per alarm trigger (the `occurrence` events of a previous run). */
  occurrences?: Record<string, string>;
  /** What a While rule had to put back when the previous engine ended in its active phase. */
  restore?: Recorded[];
}

export class RuleSystem {
  private readonly core: EngineCore;
  // rule id -> its runtime, in the order rules were added (the start order)
  private readonly runtimes = new Map<string, RuleRuntime>();
  private started = false;
  private readonly inFlight = new InFlightWrites();

  constructor(private readonly options: RuleSystemOptions) {
    const loopGuard = { ...DEFAULT_LOOP_GUARD, ...options.loopGuard };
    const events = new TypedEmitter<RuleSystemEvents>((event, _owner, error) =>
      this.writeLog('error', `a listener of "${event}" threw: ${messageOf(error)}`)
    );
    const store = new ThingStore((message) => this.writeLog('warn', message));
    this.core = {
      gateway: options.gateway,
      clock: options.clock,
      place: options.place,
      sun: new Sun(options.clock, options.place),
      store,
      hub: new ThingEventHub(),
      writer: new PropertyWriter(options.gateway, store, this.inFlight, options.clock),
      loopGuard,
      link: new GatewayStatus(options.clock.zone),
      missedAlarmGraceMs: parseDuration(options.missedAlarmGrace ?? '5m'),
      actionTimeoutMs: parseDuration(options.actionTimeout ?? '1h'),
      subscriptions: new OwnedSubscriptions(),
      events,
      log: (level, message) => this.writeLog(level, message),
      loopDetected: (cause) => this.stopLoop(cause),
    };
  }

  /**
   * Listens to `ruleChanged`, `ruleRemoved`, `fired` or `log`; returns the cancel.
   *
   * @example system.on('fired', (record) => console.log(record.ruleId, record.changes));
   */
  on<K extends keyof RuleSystemEvents>(
    event: K,
    listener: (payload: RuleSystemEvents[K]) => void,
    owner?: object
  ): Cancel {
    return this.core.events.on(event, listener, owner);
  }

  /**
   * Adds a rule (a class, or an instance); starts it at once if the system runs. Returns its id.
   *
   * @example system.addRule(MorningWakeRule, { file: 'morning-wake.ts' });
   */
  addRule(source: RuleSource, options: AddRuleOptions = {}): string {
    const className = (typeof source === 'function' ? source : source.constructor).name || 'Rule';
    const file = options.file ?? '';
    return this.add({
      id: options.id ?? makeRuleId(file, className),
      file,
      source,
      enabled: options.enabled,
      settings: options.settings,
      occurrences: options.occurrences,
      restore: options.restore,
    });
  }

  /** Adds the entry of a rule file that failed to load: it shows `status` and never starts. */
  addLoadFailure(failure: { id: string; file: string; name: string; status: string }): string {
    return this.add({
      id: failure.id,
      file: failure.file,
      name: failure.name,
      loadError: failure.status,
    });
  }

  /** Shows a rule's type warnings in its status (after "ok"); they never stop it. */
  setWarnings(id: string, warnings: string[]): void {
    this.runtimes.get(id)?.setWarnings(warnings);
  }

  /** Stops and forgets a rule (its file was deleted or changed). */
  async removeRule(id: string): Promise<void> {
    const runtime = this.runtimes.get(id);
    if (!runtime) return;
    this.runtimes.delete(id);
    await this.guard(runtime, 'stop', () => runtime.stop());
    this.core.events.emit('ruleRemoved', { ruleId: id });
  }

  /** Connects to the gateway, then constructs and starts every enabled rule. */
  async start(): Promise<void> {
    if (this.started) return;
    const gateway = this.options.gateway;
    this.listenToGateway();
    try {
      await gateway.connect();
    } catch (error) {
      this.core.subscriptions.drop(this);
      throw error;
    }
    this.core.store.reset(gateway.things());
    this.started = true;
    // Only here, when the engine (re)starts, may an alarm missed while it was down still run.
    for (const runtime of this.runtimes.values()) this.startRule(runtime, true);
  }

  /** Stops every rule (their runs aborted, While rules restored), then closes the gateway. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await Promise.all(
      [...this.runtimes.values()].map((r) => this.guard(r, 'stop', () => r.stop()))
    );
    this.core.subscriptions.drop(this);
    await this.options.gateway.close();
  }

  get running(): boolean {
    return this.started;
  }

  /** Switches a rule on or off (off detaches its triggers and aborts what it runs). */
  async setEnabled(id: string, enabled: boolean): Promise<void> {
    const runtime = this.runtime(id);
    await this.guard(runtime, enabled ? 'start' : 'stop', () =>
      runtime.setEnabled(enabled, this.started)
    );
  }

  /**
   * Changes a setting; throws (changing nothing) with the rule, the setting and the allowed form.
   *
   * @example system.setSetting('morning-wake', 'alarmTime', '07:15');
   */
  setSetting(id: string, name: string, value: JsonValue): void {
    this.runtime(id).setSetting(name, value);
  }

  /** Runs a rule's action now (the RuleThing's `run` action). */
  runRule(id: string): void {
    const runtime = this.runtime(id);
    void this.guard(runtime, 'run', () => runtime.runNow());
  }

  /**
   * An error escaped rule code (see FaultContainment): charged to the rule of `scope`, or to every
   * rule of its file when it came from the file's top level.
   */
  fault(scope: RuleScope, description: string): void {
    const charged = [...this.runtimes.values()].filter((runtime) =>
      scope.ruleId ? runtime.id === scope.ruleId : runtime.file === scope.file
    );
    if (charged.length === 0) this.writeLog('error', `${scope.file || 'a rule'}: ${description}`);
    for (const runtime of charged) runtime.fault(description);
  }

  /** Switches rule `id` off for something it did (`reason`, its status); the host saves it so. */
  switchOff(id: string, reason: string): void {
    this.runtimes.get(id)?.switchOff(reason);
  }

  /** Where solar times are computed and the zone local times are read in (for the week-ahead preview). */
  get place(): Place {
    return this.options.place;
  }

  get zone(): string {
    return this.options.clock.zone;
  }

  /** The triggers behind what a rule's `triggers()` returns (for the week-ahead preview). */
  triggersOf(id: string): Trigger[] {
    const sources = this.runtimes.get(id)?.triggerSources() ?? [];
    const triggers: Trigger[] = [];
    for (const source of sources) {
      try {
        triggers.push(underlyingTrigger(source));
      } catch {
        // A source that is no trigger is the rule's status already; nothing to preview.
      }
    }
    return triggers;
  }

  rules(): RuleInfo[] {
    return [...this.runtimes.values()].map((runtime) => runtime.info());
  }

  rule(id: string): RuleInfo | undefined {
    return this.runtimes.get(id)?.info();
  }

  /** The rule instance behind an id (for tests and tools). */
  instance(id: string): Rule | undefined {
    return this.runtimes.get(id)?.instance;
  }

  private add(entry: RuleEntry): string {
    if (this.runtimes.has(entry.id)) {
      throw new Error(
        `Duplicate rule id "${entry.id}" (from ${entry.file || 'code'}); give it another id`
      );
    }
    const runtime = new RuleRuntime(this.core, entry);
    this.runtimes.set(entry.id, runtime);
    if (this.started) this.startRule(runtime);
    this.core.events.emit('ruleChanged', runtime.info());
    return entry.id;
  }

  private startRule(runtime: RuleRuntime, catchUp = false): void {
    void this.guard(runtime, 'start', () => {
      runtime.create();
      runtime.start(catchUp);
    });
  }

  /** Runs a lifecycle step of one rule; whatever it throws is logged and the others go on. */
  private async guard(runtime: RuleRuntime, step: string, fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.writeLog('error', `Failed to ${step} rule "${runtime.id}": ${messageOf(error)}`);
    }
  }

  private runtime(id: string): RuleRuntime {
    const runtime = this.runtimes.get(id);
    if (!runtime) {
      const known = [...this.runtimes.keys()].join(', ') || 'none';
      throw new Error(`Unknown rule "${id}" (rules: ${known})`);
    }
    return runtime;
  }

  /** A chain of rules triggering each other grew past the limit: pause the ones that loop. */
  private stopLoop(cause: Cause): void {
    const members = loopMembers(cause);
    const names = members.map((m) => `"${m.title}"`).join(' → ');
    const reason = `feedback loop ${names} (a chain of ${cause.depth} rule firings)`;
    for (const member of members) this.runtimes.get(member.ruleId)?.pause(reason);
  }

  private listenToGateway(): void {
    const gateway = this.options.gateway;
    const { store, hub, clock } = this.core;
    const listen = <K extends keyof GatewayEvents>(event: K, fn: (p: GatewayEvents[K]) => void) => {
      gateway.on(event, fn);
      this.core.subscriptions.add(this, () => gateway.off(event, fn));
    };
    listen('propertyChanged', ({ thingId, name, value }) => {
      const thing = store.get(thingId);
      if (!thing) return;
      const report = this.inFlight.takeReport(thingId, name, value, clock.nowMs());
      const old = thing.values[name];
      thing.values[name] = value;
      // Rules react to changes; a device repeating its value is not one.
      if (
        old === value ||
        (typeof value === 'object' && JSON.stringify(old) === JSON.stringify(value))
      )
        return;
      hub.propertyChanged(thingId, name, value, {
        origin: report?.origin,
        cause: report?.cause,
      });
    });
    listen('event', ({ thingId, name, data }) => hub.eventRaised(thingId, name, data));
    listen('thingAdded', (state) => {
      store.put(state);
      this.writeLog('info', `thing added: "${state.description.title}" (${state.description.id})`);
      for (const runtime of this.runtimes.values()) runtime.thingReturned(state.description.id);
      this.retryFailedStarts();
      this.thingsChanged();
    });
    listen('thingModified', (state) => {
      store.put(state);
      this.thingsChanged();
    });
    listen('thingRemoved', ({ thingId }) => {
      const title = store.title(thingId);
      if (!store.remove(thingId)) return;
      this.writeLog('info', `thing removed: "${title}" (${thingId})`);
      for (const runtime of this.runtimes.values()) runtime.thingRemoved(thingId, title);
      this.thingsChanged();
    });
    listen('thingConnected', ({ thingId, connected }) => {
      const thing = store.get(thingId);
      if (thing) thing.connected = connected;
    });
    listen('connection', (state) => {
      if (state.state === 'down') this.writeLog('warn', `gateway connection down: ${state.reason}`);
      else if (state.state === 'up') this.writeLog('info', 'gateway connection up');
      if (!this.core.link.update(state)) return;
      for (const runtime of this.runtimes.values()) runtime.gatewayChanged();
    });
    listen('warning', ({ message }) => this.writeLog('debug', `gateway: ${message}`));
  }

  /** What thing settings offer follows the gateway's things. */
  private thingsChanged(): void {
    for (const runtime of this.runtimes.values()) {
      void this.guard(runtime, 'update', () => runtime.thingsChanged());
    }
  }

  /** A rule that failed because a thing was missing may work now that one appeared. */
  private retryFailedStarts(): void {
    if (!this.started) return;
    for (const runtime of this.runtimes.values()) {
      if (runtime.isEnabled && !runtime.isRunning && runtime.failedToStart) {
        this.startRule(runtime);
      }
    }
  }

  private writeLog(level: LogLevel, message: string): void {
    try {
      this.options.log?.(level, message);
    } catch {
      // A broken logger must not take the engine down with it.
    }
    if (this.core?.events.listenerCount('log')) this.core.events.emit('log', { level, message });
  }
}
