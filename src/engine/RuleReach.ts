/**
 * What a rule reaches through `this`: its things (`this.things`, `this.thing()`), the RuleThings
 * (`this.rules`), the sun, the clock, `sleep`, `log` and the signal of the run it is in. Every
 * thing comes through this rule's own proxy, so each write is known to be this rule's.
 */
import { parseDuration } from '../clock';
import { sleepOn } from './abort';
import type { EngineCore, LogLevel } from './EngineCore';
import type { WriteOrigin } from './PropertyWriter';
import {
  bindRule,
  constructRule,
  Rule,
  RuleBinding,
  RuleHooks,
  RuleLog,
  TriggerSource,
} from './Rule';
import type { RuleSource } from './ruleEntry';
import { currentRun } from './Run';
import { createThingProxy, isThingProxy, ThingProxy } from './ThingProxy';
import { createRulesDirectory, createThingsDirectory } from './ThingsDirectory';

/** What the reach asks of its rule's runtime (whose writes go through these proxies). */
export interface ReachOwner extends WriteOrigin {
  log(level: LogLevel, message: string): void;
  /** A write through `thing.on = …` was refused (there is no promise to reject). */
  assignmentFailed(error: unknown): void;
  /** The signal of the rule's life (aborted when it stops). */
  lifetimeSignal(): AbortSignal;
  /** What triggers() returned, as attached when the rule last started. */
  attachedSources(): TriggerSource[];
  isActive(): boolean;
}

export class RuleReach {
  // thing id -> this rule's proxy of it (writes through it are this rule's)
  private readonly proxies = new Map<string, ThingProxy>();
  private thingsProxy: Record<string, ThingProxy> | undefined;
  private rulesProxy: Record<string, ThingProxy> | undefined;

  constructor(
    private readonly core: EngineCore,
    private readonly owner: ReachOwner
  ) {}

  /** True once the rule has reached the thing (so its leaving matters to the rule). */
  uses(thingId: string): boolean {
    return this.proxies.has(thingId);
  }

  /**
   * The rule with its `this` bound: a class is constructed (by `construct`, which runs it in the
   * rule's scope) with the binding in place for its field initialisers; an instance is bound.
   */
  bind(source: RuleSource, construct: (fn: () => Rule) => Rule): Rule & RuleHooks {
    const binding = this.binding();
    if (typeof source !== 'function') {
      bindRule(source, binding);
      return source;
    }
    return construct(() => constructRule(binding, () => new source()));
  }

  private binding(): RuleBinding {
    const core = this.core;
    const log = (level: LogLevel) => (message: string) => this.owner.log(level, message);
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
      signal: { get: () => currentRun.getStore()?.signal ?? this.owner.lifetimeSignal() },
      triggeringThings: { get: () => this.owner.attachedSources().filter(isThingProxy) },
      active: { get: () => this.owner.isActive() },
    }) as unknown as RuleBinding;
  }

  private signals(): AbortSignal[] {
    const run = currentRun.getStore();
    return run ? run.signals : [this.owner.lifetimeSignal()];
  }

  private proxy(thingId: string): ThingProxy {
    let proxy = this.proxies.get(thingId);
    if (!proxy) {
      proxy = createThingProxy(
        {
          writer: this.core.writer,
          store: this.core.store,
          clock: this.core.clock,
          origin: this.owner,
          signals: () => this.signals(),
          assignmentFailed: (error) => this.owner.assignmentFailed(error),
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
}
