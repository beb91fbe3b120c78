/**
 * A setting that picks one thing of the home (a Light, a motion sensor…): the gateway shows it as
 * a drop-down of the matching things' titles, and it keeps the chosen thing's id, so renaming the
 * thing keeps the choice. Until a thing is chosen (or while the chosen one is gone) the rule does
 * nothing and its status says "choose a Light".
 */
import type { ThingDescription } from '../protocol/gateway';
import type { SettingInfo, ThingChoice, ThingSettingInfo } from './messages';
import { Setting } from './Setting';
import type { ThingProxy } from './ThingProxy';
import { titleOf } from './settingForm';
import { showValue } from './sameValue';

/** Which things a thing setting offers: all that have the capability and/or the property. */
export interface ThingFilter {
  /** A thing `@type` such as "Light", "MotionSensor", "OnOffSwitch". */
  capability?: string;
  /** A property name ("on", "level") or property `@type` ("MotionProperty") the thing must have. */
  property?: string;
  /** An event name ("pressed") or event `@type` ("PressedEvent") the thing must have. */
  event?: string;
}

export interface ThingSettingOptions extends ThingFilter {
  /** What is chosen, in the gateway and in "choose a Light"; default the name in words. */
  title?: string;
  description?: string;
}

/** What a thing setting reads from the engine once its rule is bound. */
export interface ThingSource {
  /** Every thing of the gateway now. */
  list(): ThingDescription[];
  /** The rule's proxy of a thing by id. */
  proxy(thingId: string): ThingProxy;
}

// Things of Rule Things itself (RuleThings, the Sun): a rule picks the home's devices.
const OWN_THING_PREFIX = 'rule-things-';

/** The name of the first property of `thing` that `filter` asks for, or undefined. */
export function matchingProperty(thing: ThingDescription, filter: ThingFilter): string | undefined {
  const wanted = filter.property;
  if (!wanted) return undefined;
  return Object.entries(thing.properties ?? {}).find(
    ([name, property]) => name === wanted || property['@type'] === wanted
  )?.[0];
}

/** Whether `thing` may be picked by a setting with `filter`. */
export function thingMatches(thing: ThingDescription, filter: ThingFilter): boolean {
  if (thing.id.startsWith(OWN_THING_PREFIX)) return false;
  if (filter.capability && !(thing['@type'] ?? []).includes(filter.capability)) return false;
  if (filter.property && matchingProperty(thing, filter) === undefined) return false;
  if (
    filter.event &&
    !Object.entries(thing.events ?? {}).some(
      ([name, event]) => name === filter.event || event['@type'] === filter.event
    )
  )
    return false;
  return true;
}

/** The things `filter` offers, sorted by title. */
export function thingChoices(things: ThingDescription[], filter: ThingFilter): ThingChoice[] {
  return things
    .filter((thing) => thingMatches(thing, filter))
    .map(({ id, title }) => ({ id, title }))
    .sort((a, b) => a.title.localeCompare(b.title) || (a.id < b.id ? -1 : 1));
}

/**
 * A setting that picks a thing; its value is the chosen thing's id ("" until chosen), its
 * `thing` the rule's proxy of that thing.
 *
 * @example
 * class NightLight extends Rule {
 *   light = this.thingSetting('light', { title: 'Light', property: 'on' });
 *   triggers() { return [new SolarEventTrigger('civilDusk')]; }
 *   action() { this.light.thing.on = true; }
 * }
 */
export class ThingSetting extends Setting<string> {
  readonly filter: ThingFilter;
  // the chosen thing's title when last seen, for the status once it is gone
  private lastTitle: string | undefined;

  constructor(
    name: string,
    options: ThingSettingOptions,
    private readonly source: () => ThingSource
  ) {
    super(name, '', { title: options.title, description: options.description });
    const { capability, property, event } = options;
    this.filter = { capability, property, event };
  }

  /** The chosen thing; throws "choose a Light" while none is chosen. */
  get thing(): ThingProxy {
    if (!this.value) throw new Error(this.choosePhrase());
    return this.source().proxy(this.value);
  }

  /** The name of the chosen thing's property that the filter's `property` matched ("motion"). */
  get propertyName(): string | undefined {
    const chosen = this.chosenDescription();
    return chosen ? matchingProperty(chosen, this.filter) : undefined;
  }

  /** The things it may pick now. */
  choices(): ThingChoice[] {
    return thingChoices(this.source().list(), this.filter);
  }

  /**
   * Why the rule cannot run now: nothing chosen, or the chosen thing is gone or no longer fits;
   * undefined when the choice is fine.
   */
  missing(): string | undefined {
    if (!this.value) return this.choosePhrase();
    const chosen = this.chosenDescription();
    const title = chosen?.title ?? this.lastTitle ?? this.value;
    if (!chosen) return `${this.choosePhrase()}: "${title}", chosen before, is not in the gateway`;
    if (!thingMatches(chosen, this.filter))
      return `${this.choosePhrase()}: "${title}" is not a ${this.noun()} (${describeFilter(this.filter)})`;
    return undefined;
  }

  /** A value is a thing id (or "" for none); a title of a matching thing is taken as its id. */
  override assign(value: unknown): boolean {
    const changed = super.assign(this.idOf(value));
    this.lastTitle = undefined;
    this.chosenDescription();
    return changed;
  }

  override problem(value: unknown): string | undefined {
    return typeof value === 'string' && value.length <= 200
      ? undefined
      : `${showValue(value)} is not ${this.allowed}`;
  }

  /** Why a person's choice is refused: it must be a thing the setting offers now (or none). */
  choiceProblem(value: unknown): string | undefined {
    const id = this.idOf(value);
    if (id === '' || id === this.value) return this.problem(id);
    if (this.choices().some((choice) => choice.id === id)) return undefined;
    const offered = this.choices().map((choice) => `"${choice.title}"`);
    return `${showValue(value)} is not a ${this.noun()} of the gateway (${offered.length > 0 ? `choose one of ${offered.join(', ')}` : `the gateway has no ${this.noun()}: ${describeFilter(this.filter)}`})`;
  }

  override get allowed(): string {
    return `the id of a ${this.noun()} of the gateway (${describeFilter(this.filter)}), or "" for none`;
  }

  override info(): SettingInfo {
    this.chosenDescription();
    const thing: ThingSettingInfo = {
      filter: this.filter,
      choices: this.choices(),
      ...(this.value ? { chosen: { id: this.value, title: this.lastTitle ?? this.value } } : {}),
    };
    return { ...super.info(), thing };
  }

  /** The chosen thing's title, for sentences ("turn Porch Light on"). */
  override toString(): string {
    if (!this.value) return `the ${this.noun()}`;
    return this.chosenDescription()?.title ?? this.lastTitle ?? this.value;
  }

  private noun(): string {
    return this.options.title ?? titleOf(this.name);
  }

  private choosePhrase(): string {
    const noun = this.noun();
    return `choose ${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
  }

  /** The chosen thing's description now; remembers its title for when it is gone. */
  private chosenDescription(): ThingDescription | undefined {
    if (!this.value) return undefined;
    const chosen = this.source()
      .list()
      .find((thing) => thing.id === this.value);
    if (chosen) this.lastTitle = chosen.title;
    return chosen;
  }

  private idOf(value: unknown): unknown {
    if (typeof value !== 'string' || value === '') return value;
    const things = this.source().list();
    if (things.some((thing) => thing.id === value)) return value;
    const byTitle = thingChoices(things, this.filter).filter((choice) => choice.title === value);
    return byTitle.length === 1 ? byTitle[0].id : value;
  }
}

/** "things with a property "on"", "Light things". */
function describeFilter(filter: ThingFilter): string {
  const parts: string[] = [];
  if (filter.capability) parts.push(`of type ${filter.capability}`);
  if (filter.property) parts.push(`with a property "${filter.property}"`);
  if (filter.event) parts.push(`with an event "${filter.event}"`);
  return parts.length > 0 ? `a thing ${parts.join(' and ')}` : 'any thing';
}
