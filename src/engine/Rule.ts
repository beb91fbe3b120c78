/**
 * The base class rule authors extend: say what triggers the rule and what it does; read and set
 * things through `this.things`; declare settings the gateway UI can change.
 */
import type { DateTime } from 'luxon';
import type { Clock } from '../clock';
import type { Sun } from '../triggers/Sun';
import type { Trigger } from '../triggers/Trigger';
import type { RuleMode } from './concurrency';
import { Setting } from './Setting';
import type { SettingOptions, SettingValue } from './settingForm';
import type { ThingProxy } from './ThingProxy';
import { ThingSetting, ThingSettingOptions, ThingSource } from './ThingSetting';
import type { ThingDescription } from '../protocol/gateway';

/**
 * Every thing of the home under the name `this.things` gives it. Empty here: the declarations
 * `rule-things types` generates fill it in by interface merging (`declare module 'rule-things'`),
 * so that an editor knows the home's things and their property types.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by interface merging
export interface KnownThings {}

/** Every thing by id and by (unambiguous) title, for `this.thing('…')`; filled like KnownThings. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by interface merging
export interface KnownThingKeys {}

/** The type of `this.things`: any name while no thing types are generated, then exactly the home's things. */
export type Things = [keyof KnownThings] extends [never] ? Record<string, ThingProxy> : KnownThings;

/**
 * What `triggers()` may return: time triggers, things (any change), thing properties and events,
 * settings. A generated thing type (`Porch_Light_Thing`) is a ThingProxy too: ThingProxy's
 * `[property: string]: any` accepts any object type, and its methods only narrow ThingMembers'
 * (test/authoring/typedThings.test.ts keeps it so).
 */
export type TriggerSource = Trigger | ThingProxy | AnySetting;

export type AnySetting = Setting<string> | Setting<number> | Setting<boolean>;

/** Log lines of one rule; they reach the add-on's log prefixed with the rule's title. */
export interface RuleLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a rule reaches through its base class once the engine has bound it. */
export interface RuleBinding {
  readonly things: Record<string, ThingProxy>;
  readonly rules: Record<string, ThingProxy>;
  thing(titleOrId: string): ThingProxy;
  /** Every thing of the gateway now (what thing settings offer). */
  thingList(): ThingDescription[];
  readonly sun: Sun;
  readonly clock: Clock;
  sleep(duration: string | number): Promise<void>;
  readonly signal: AbortSignal;
  readonly log: RuleLog;
  readonly triggeringThings: ThingProxy[];
  readonly active: boolean;
}

interface RuleInternals {
  // setting name -> setting, in declaration order
  settings: Map<string, AnySetting>;
  binding: RuleBinding | undefined;
}

// rule -> what the engine keeps for it; a WeakMap so no author field name can collide with ours
const internals = new WeakMap<Rule, RuleInternals>();
// the binding for the rule being constructed by the engine, so field initializers see this.things
let constructing: RuleBinding | undefined;

/**
 * A rule: `triggers()` says what wakes it, `action()` what it does.
 *
 * @example
 * import { Rule } from 'rule-things';
 *
 * export default class ExampleIfRule extends Rule {
 *   triggers() { return [this.things.Philips_HUE_01]; }
 *   action() {
 *     if (this.things.Philips_HUE_01.on) this.things.Philips_HUE_02.on = true;
 *   }
 * }
 */
/**
 * What a rule class may define. Rule itself declares none of these, so a rule overrides nothing
 * and needs no `override` keyword under `noImplicitOverride`; write `implements RuleHooks` to
 * have them checked.
 */
export interface RuleHooks {
  /**
   * What makes the rule run: things (any property change), `thing.property('on')`,
   * `thing.event('pressed')`, time triggers, settings.
   *
   * @example triggers() { return [this.things.Button_1.event('pressed'), new HeartBeat('2s')]; }
   */
  triggers?(): Iterable<TriggerSource>;
  /**
   * Runs on every trigger with what fired, the property (or event) name and its new value.
   * May be async; see `static mode` for what a trigger does while it still runs.
   *
   * @example action(thing: unknown, property: string, value: unknown) { this.things.Porch_Light[property] = value; }
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- authors narrow these as they like
  action?(trigger: any, property: string, value: any): void | Promise<void>;
  /**
   * Runs once when the rule starts, before its triggers are attached: set things up.
   *
   * @example initialState() { this.things.Philips_HUE_01.on = true; }
   */
  initialState?(): void | Promise<void>;
}

/** What a rule class may say about itself in static fields. */
export interface RuleStatics {
  /** What a trigger does while an async action still runs: "single" (default; refuse), "restart", "queued", "parallel". */
  mode?: RuleMode;
  /** Most runs waiting ("queued") or running at once ("parallel"); default 10. */
  max?: number;
  /**
   * How long an async action may run ("30m"); after that it is aborted and given up, so the next
   * trigger can run it again (default: the engine's action timeout, one hour).
   */
  timeout?: string | number;
  /** Shown in the gateway instead of the class name in words. */
  title?: string;
  /**
   * What the rule does, in words that follow its triggers in its sentence ("At 06:10 on
   * weekdays, <description>"); `{settingName}` stands for a setting's current value. For a
   * While rule, its condition and effect ("Motion Sensor motion is on and the sun is down,
   * Porch Light is on" reads "While Motion Sensor motion is on …").
   */
  description?: string;
  /** false: the rule starts switched off until someone switches it on. */
  enabledByDefault?: boolean;
  /**
   * Most firings a minute, whatever caused them; one more pauses the rule. Unset (the default),
   * only firings that rules' own writes caused count, against the engine's loop guard rate:
   * people and sensors may trigger a rule as often as they like.
   */
  maxRate?: number;
}

/**
 * A rule: `triggers()` says what wakes it, `action()` what it does, `initialState()` what it sets
 * up (see RuleHooks); static `mode`, `max`, `title`, `description`, `enabledByDefault` tune it
 * (see RuleStatics).
 *
 * @example
 * import { Rule } from 'rule-things';
 *
 * export default class ExampleIfRule extends Rule {
 *   static mode = 'restart' as const;
 *   triggers() { return [this.things.Philips_HUE_01]; }
 *   action() {
 *     if (this.things.Philips_HUE_01.on) this.things.Philips_HUE_02.on = true;
 *   }
 * }
 */
export class Rule {
  constructor() {
    internals.set(this, { settings: new Map(), binding: constructing });
  }

  /**
   * Declares a setting: a writable property of the rule's RuleThing, checked against the form
   * of its default ("06:30" is a time of day, "20m" a duration) and `options`. Use its `.value`,
   * or pass it to a trigger, which then follows changes.
   *
   * @example alarm = this.setting('alarmTime', '06:30', { title: 'Alarm time' });
   * @example level = this.setting('level', 80, { minimum: 1, maximum: 100, unit: 'percent' });
   */
  protected setting(name: string, defaultValue: string, options?: SettingOptions): Setting<string>;
  protected setting(name: string, defaultValue: number, options?: SettingOptions): Setting<number>;
  protected setting(
    name: string,
    defaultValue: boolean,
    options?: SettingOptions
  ): Setting<boolean>;
  protected setting(
    name: string,
    defaultValue: SettingValue,
    options: SettingOptions = {}
  ): Setting<string> | Setting<number> | Setting<boolean> {
    const settings = internalsOf(this).settings;
    if (settings.has(name))
      throw new Error(`Duplicate setting "${name}" in ${this.constructor.name}`);
    const setting = new Setting(name, defaultValue, options) as AnySetting;
    const problem = setting.problem(defaultValue);
    if (problem) throw new Error(`Invalid default of setting "${name}": ${problem}`);
    settings.set(name, setting);
    return setting;
  }

  /**
   * Declares a setting that picks a thing of the home: in the gateway, a drop-down of the
   * matching things' titles; kept as the thing's id, so a rename keeps the choice. Until a thing
   * is chosen the rule does nothing and its status says "choose a Light".
   *
   * @example light = this.thingSetting('light', { title: 'Light', property: 'on' });
   * @example sensor = this.thingSetting('sensor', { title: 'Motion sensor', property: 'MotionProperty' });
   */
  protected thingSetting(name: string, options: ThingSettingOptions = {}): ThingSetting {
    const settings = internalsOf(this).settings;
    if (settings.has(name))
      throw new Error(`Duplicate setting "${name}" in ${this.constructor.name}`);
    const source = (): ThingSource => {
      const binding = this.binding('thingSetting');
      return { list: () => binding.thingList(), proxy: (id) => binding.thing(id) };
    };
    const setting = new ThingSetting(name, options, source);
    settings.set(name, setting);
    return setting;
  }

  /**
   * Every device of the gateway by its title made an identifier ("Philips HUE 01" →
   * Philips_HUE_01); not the add-on's own things (see `rules` and `sun`).
   * Read a property for its last known value, assign it to set it.
   *
   * @example this.things.Porch_Light.on = true;
   */
  get things(): Things {
    // Things is Record<string, ThingProxy> at run time; the generated types only narrow it.
    return this.binding('things').things as Things;
  }

  /**
   * The RuleThings the gateway has (added under "+"), by title made an identifier, as
   * `this.things` has the devices: the add-on's own things never take a device's name there.
   *
   * @example this.rules.Morning_Wake.enabled = false;
   */
  get rules(): Record<string, ThingProxy> {
    return this.binding('rules').rules;
  }

  /**
   * A thing by its exact title or id, for titles that are awkward as identifiers.
   *
   * @example this.thing('01 turns on 02, 03').on = false;
   */
  thing<K extends string>(
    titleOrId: K
  ): K extends keyof KnownThingKeys ? KnownThingKeys[K] : ThingProxy {
    // Typed by the generated KnownThingKeys where the name is known; the same proxy either way.
    return this.binding('thing()').thing(titleOrId) as K extends keyof KnownThingKeys
      ? KnownThingKeys[K]
      : ThingProxy;
  }

  /** The things returned by `triggers()` (the seed's `triggering_things`). */
  get triggeringThings(): ThingProxy[] {
    return this.binding('triggeringThings').triggeringThings;
  }

  /**
   * The sun at the configured place, for conditions.
   *
   * @example if (!this.sun.isUp()) this.things.Porch_Light.on = true;
   */
  get sun(): Sun {
    return this.binding('sun').sun;
  }

  /** The engine's clock (virtual in tests). */
  get clock(): Clock {
    return this.binding('clock').clock;
  }

  /** The current time in the configured time zone. */
  get now(): DateTime {
    return this.clock.now();
  }

  /**
   * Waits on the engine's clock; stops (rejecting with an AbortError) if the rule is switched off
   * or its run is aborted.
   *
   * @example await this.sleep('1m');
   */
  sleep(duration: string | number): Promise<void> {
    return this.binding('sleep()').sleep(duration);
  }

  /** Aborted when the current run is aborted or the rule stops: pass it to fetch and the like. */
  get signal(): AbortSignal {
    return this.binding('signal').signal;
  }

  /** @example this.log.info('porch light on'); */
  get log(): RuleLog {
    return this.binding('log').log;
  }

  /** True while an async action runs or a While rule's condition holds. */
  get active(): boolean {
    return internalsOf(this).binding?.active ?? false;
  }

  private binding(member: string): RuleBinding {
    const binding = internalsOf(this).binding;
    if (!binding) {
      throw new Error(
        `${this.constructor.name}: ${member} is available once a RuleSystem has taken the rule ` +
          `(add the class, not an instance, to use it in field initializers)`
      );
    }
    return binding;
  }
}

function internalsOf(rule: Rule): RuleInternals {
  let found = internals.get(rule);
  // A subclass may read this.things before Rule's constructor ran only via odd tricks; stay safe.
  if (!found) internals.set(rule, (found = { settings: new Map(), binding: constructing }));
  return found;
}

/** Engine side: constructs a rule with `binding` in place, so its field initializers can use things. */
export function constructRule<R extends Rule>(binding: RuleBinding, make: () => R): R {
  const outer = constructing;
  constructing = binding;
  try {
    return make();
  } finally {
    constructing = outer;
  }
}

/** Engine side: binds a rule constructed elsewhere. */
export function bindRule(rule: Rule, binding: RuleBinding): void {
  internalsOf(rule).binding = binding;
}

/** Engine side: the settings a rule declared, in declaration order. */
export function settingsOf(rule: Rule): Map<string, AnySetting> {
  return internalsOf(rule).settings;
}
