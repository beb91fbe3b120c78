/**
 * How a thing's title becomes a member name of `this.things`, as the seed's Python rule system
 * does it (Python 3 keeps every letter and digit of any language): characters not allowed in a
 * TypeScript identifier become "_", and a name that cannot start one gets a leading "_".
 * "01 turns on 02, 03" → "_01_turns_on_02__03", "Küchenlicht" stays "Küchenlicht".
 */

// Letters and digits of any script, as the language allows them in identifiers.
const NOT_IDENTIFIER_PART = /[^\p{ID_Continue}$\u200C\u200D]/gu;
const IDENTIFIER_START = /^[\p{ID_Start}_$]/u;

/**
 * @example sanitizeName('Philips HUE 01') // 'Philips_HUE_01'
 * @example sanitizeName('01 turns on 02, 03') // '_01_turns_on_02__03'
 * @example sanitizeName('Küchenlicht') // 'Küchenlicht'
 */
export function sanitizeName(title: string): string {
  // One spelling for "ü" typed as one character or as "u" and a combining mark.
  const body = title.normalize('NFC').replace(NOT_IDENTIFIER_PART, '_');
  return IDENTIFIER_START.test(body) ? body : `_${body}`;
}

/**
 * Ids of the add-on's own things in the gateway (its RuleThings and its Sun). They are not
 * devices: `this.things` leaves them out, so a RuleThing titled like a device never takes the
 * device's name; rules reach RuleThings through `this.rules` and the sun through `this.sun`.
 */
export const OWN_THING_PREFIX = 'rule-things-';
export const SUN_THING_ID = `${OWN_THING_PREFIX}sun`;

export function isOwnThing(thingId: string): boolean {
  return thingId.startsWith(OWN_THING_PREFIX);
}

/** One member name for each thing; where titles collide, later ones also get their id appended. */
export interface NameTable {
  /** sanitized name -> thing id */
  byName: Map<string, string>;
  /** One sentence per collision, naming both things and how each is reached. */
  warnings: string[];
}

/**
 * Gives every thing a unique member name. Things are taken in id order so the outcome does not
 * depend on the order the gateway lists them: the first keeps the plain name, every other one
 * is reachable as `<name>__<sanitized id>` (and always by `thing('title or id')`).
 */
export function buildNameTable(things: { id: string; title: string }[]): NameTable {
  const byName = new Map<string, string>();
  const warnings: string[] = [];
  const sorted = [...things].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const thing of sorted) {
    const name = sanitizeName(thing.title);
    const holder = byName.get(name);
    if (holder === undefined) {
      byName.set(name, thing.id);
      continue;
    }
    const alias = `${name}__${sanitizeName(thing.id).replace(/^_/, '')}`;
    byName.set(alias, thing.id);
    warnings.push(
      `Things "${holder}" and "${thing.id}" both sanitize to "${name}": "${holder}" is this.things.${name}, ` +
        `"${thing.id}" is this.things.${alias} (or use this.thing('${thing.id}')).`
    );
  }
  return { byName, warnings };
}
