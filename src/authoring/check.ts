/** `rule-things check`: type-checks rule files against the rule API and the home's thing types, then validates each rule's triggers. */
import type { ThingState } from '../protocol/gateway';
import type { Place } from '../triggers/Trigger';
import { Diagnostic, sortDiagnostics } from './diagnostics';
import { checkTriggers } from './triggerCheck';
import { RuleTypeChecker, sharedTypeChecker } from './typeCheck';

export interface CheckOptions {
  /** Declarations written by `generateThingTypes`; without them `this.things` is not checked. */
  typesFile?: string;
  /** The API declarations `rule-things` means; found next to this module by default. */
  apiFile?: string;
  /** Things to construct rules against; default the seed's simulated home. */
  things?: ThingState[];
  /** Time zone and place trigger validation assumes (a solar event may not happen at a place). */
  zone?: string;
  place?: Place;
  /** Skip loading the rules (type errors only). */
  typesOnly?: boolean;
  /** A checker kept between calls (the add-on's); the process-wide one by default. */
  checker?: RuleTypeChecker;
}

/**
 * Every problem of the rule files, ordered by file and line: compiler errors (reworded where the
 * thing types let us name the thing and the property), values outside a property's range, and
 * problems of each rule's triggers (bad time strings, unknown solar events, bad durations),
 * found without running any action. A file with syntax errors is not loaded.
 *
 * @example
 * const problems = await checkRules(['rules/wake.ts'], { typesFile: 'rules/things.d.ts' });
 * problems.forEach((p) => console.log(formatDiagnostic(p)));
 * process.exitCode = problems.some((p) => p.severity === 'error') ? 1 : 0;
 */
export async function checkRules(
  files: string[],
  options: CheckOptions = {}
): Promise<Diagnostic[]> {
  const checker = options.checker ?? sharedTypeChecker;
  const typeDiagnostics = checker.check(files, {
    typesFile: options.typesFile,
    apiFile: options.apiFile,
  });
  if (options.typesOnly) return sortDiagnostics(typeDiagnostics);
  // A file that does not parse (or does not exist) cannot be loaded; its compiler errors say why.
  const loadable = files.filter((file) => !checker.unparsable.has(file));
  const triggerDiagnostics = await checkTriggers(loadable, {
    things: options.things,
    zone: options.zone,
    place: options.place,
  });
  // A bad event or property name fails both checks on the same line; the compiler's is the precise one.
  const typeLines = new Set(
    typeDiagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}`)
  );
  const fresh = triggerDiagnostics.filter((d) => !typeLines.has(`${d.file}:${d.line}`));
  return sortDiagnostics([...typeDiagnostics, ...fresh]);
}

/** True when any diagnostic is an error (what makes `rule-things check` exit non-zero). */
export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
