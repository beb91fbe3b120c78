/** The add-on's check of a rule file before its rules start: `rule-things check` for one file, with one compiler kept for the life of the engine. */
import * as fs from 'fs';
import * as path from 'path';
import type { ThingState } from '../engine/gateway';
import type { Place } from '../triggers/Trigger';
import { checkRules } from './check';
import { formatDiagnostic } from './diagnostics';
import { THING_TYPES_FILE } from './typesFile';
import { RuleTypeChecker } from './typeCheck';

/** What the triggers are validated for; the add-on's settings. */
export interface RuleCheckerOptions {
  /** The time zone of the engine's clock (default UTC). */
  zone?: string;
  /** Where solar events are computed (a sun event may never happen at a place). */
  place?: Place;
}

/**
 * A check for RuleFolder's `check` option: type-checks `file` (relative to `rulesFolder`) against
 * the rule API and the folder's `things.d.ts` (when there is one), and validates its triggers
 * against `things()`; resolves to the first error as "wake.ts:12:5: message" (with how many
 * more there are), or undefined when there is none. Warnings never stop a rule.
 *
 * While `things()` is empty (the gateway is not connected yet) triggers are not validated: a
 * rule constructed against no things would fail for that reason alone. The engine still
 * validates them when the rule starts.
 *
 * @example new RuleFolder(system, rulesFolder, clock, { check: createRuleChecker(rulesFolder, () => gateway.things()) })
 */
export function createRuleChecker(
  rulesFolder: string,
  things: () => ThingState[],
  options: RuleCheckerOptions = {}
): (file: string) => Promise<string | undefined> {
  // Kept between calls: a re-check re-parses only the changed file, not the API and lib declarations.
  const checker = new RuleTypeChecker();
  const typesFile = path.join(rulesFolder, THING_TYPES_FILE);
  return async (file) => {
    const known = things();
    const diagnostics = await checkRules([path.resolve(rulesFolder, file)], {
      checker,
      typesFile: fs.existsSync(typesFile) ? typesFile : undefined,
      things: known,
      typesOnly: known.length === 0,
      zone: options.zone,
      place: options.place,
    });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length === 0) return undefined;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return formatDiagnostic(errors[0], rulesFolder) + more;
  };
}
