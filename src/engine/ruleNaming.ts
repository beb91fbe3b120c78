/** How a rule class becomes a title people read and an id the gateway keeps: "MorningWakeRule" → "Morning Wake". */

/**
 * The words of a class name, without a trailing "Rule".
 *
 * @example ruleTitle('MorningWakeRule') // 'Morning Wake'
 * @example ruleTitle('HUE01LeadsRule') // 'HUE01 Leads'
 */
export function ruleTitle(className: string): string {
  // Asked for on every run (each run's cause names its rule): the few class names are kept.
  let title = titles.get(className);
  if (title === undefined) {
    title = titleOf(className);
    titles.set(className, title);
  }
  return title;
}

// class name -> its title
const titles = new Map<string, string>();

function titleOf(className: string): string {
  const words = className
    .replace(/Rule$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_\s]+/g, ' ')
    .trim();
  return words || className;
}

/**
 * Lower-case words joined by "-": stable, URL- and id-safe.
 *
 * @example slugify('MorningWakeRule') // 'morning-wake-rule'
 * @example slugify('wake/morning.ts') // 'wake-morning-ts'
 */
export function slugify(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A rule's id from its file (relative to the rules folder, extension dropped) and class name;
 * the class part is left out when it only repeats the file name ("morning-wake.ts" exporting
 * MorningWake or MorningWakeRule → "morning-wake").
 *
 * @example ruleId('bonded.ts', 'BondedBulbsRule') // 'bonded-bonded-bulbs'
 */
export function ruleId(file: string, className: string): string {
  const fileSlug = slugify(file.replace(/\.[cm]?[jt]s$/, ''));
  const classSlug = slugify(className.replace(/Rule$/, '')) || slugify(className);
  if (!fileSlug) return classSlug;
  if (!classSlug || classSlug === fileSlug || classSlug === 'default') return fileSlug;
  return `${fileSlug}-${classSlug}`;
}
