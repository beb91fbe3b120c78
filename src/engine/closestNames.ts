/** Suggests the names closest to a mistyped one, so "unknown thing" errors say what was meant. */

/** Edit distance between two strings (insertions, deletions, substitutions), case-insensitive. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[t.length];
}

/**
 * The `count` names nearest to `wanted`, nearest first (ties in alphabetical order).
 *
 * @example closestNames('Philips_HUE_7', ['Philips_HUE_01', 'Porch_Light']) // ['Philips_HUE_01', 'Porch_Light']
 */
export function closestNames(wanted: string, names: Iterable<string>, count = 3): string[] {
  return [...names]
    .map((name) => ({ name, score: distance(wanted, name) }))
    .sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, count)
    .map((entry) => entry.name);
}
