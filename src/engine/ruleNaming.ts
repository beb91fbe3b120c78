/** How a rule class becomes a title people read and an id the gateway keeps: "MorningWakeRule" → "Morning Wake". */
import { domainToASCII } from 'node:url';

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
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/[_\s]+/g, ' ')
    .trim();
  return words || className;
}

/**
 * The lower-case words of a name, split at camel-case humps and at anything but letters and
 * digits (of any language): "KüchenLicht 2" → ["küchen", "licht", "2"].
 */
export function nameWords(text: string): string[] {
  return text
    .normalize('NFC')
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, '$1-$2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter(Boolean);
}

/**
 * Lower-case ASCII words joined by "-": stable, URL- and id-safe. Accents are dropped
 * ("Küche" → "kuche"); a word of another script becomes its IDNA (punycode) form, as a domain
 * name would ("Кухня" → "xn--j1agri5c"), so every name of the page gets an id of its own.
 *
 * @example slugify('MorningWakeRule') // 'morning-wake-rule'
 * @example slugify('wake/morning.ts') // 'wake-morning-ts'
 * @example slugify('Küchenlicht') // 'kuchenlicht'
 */
export function slugify(text: string): string {
  return nameWords(text).map(asciiWord).join('-');
}

function asciiWord(word: string): string {
  const latin = word.normalize('NFKD').replace(/\p{M}/gu, '');
  if (/^[a-z0-9]+$/.test(latin)) return latin;
  // IDNA refuses a few words (right-to-left letters before Latin ones, a leading combining mark):
  // their code points, in hex.
  return domainToASCII(word) || [...word].map((c) => c.codePointAt(0)!.toString(16)).join('-');
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
