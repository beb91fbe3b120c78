/**
 * The add-on's type check of a rule file, the kind an editor shows: run in the type checker's own
 * thread, never on the engine's, and only ever warnings. What stops a rule (a syntax error, a
 * module that throws while loading, invalid trigger arguments) is the engine's verdict when it
 * loads and starts the rule, the same at start and on hot reload.
 */
import * as path from 'path';
import { formatDiagnostic } from './diagnostics';
import { TypeCheckThread } from './TypeCheckThread';
import { THING_TYPES_FILE } from './typesFile';

/** Type-checks the files of one rules folder; `close()` ends its thread. */
export interface RuleChecker {
  /**
   * The type diagnostics of `file` (relative to the rules folder) against the rule API and the
   * folder's `things.d.ts` (when there is one), each as "wake.ts:12:5: message".
   */
  check(file: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * @example new RuleFolder(system, rulesFolder, clock, { check: createRuleChecker(rulesFolder).check })
 */
export function createRuleChecker(rulesFolder: string): RuleChecker {
  const thread = new TypeCheckThread();
  const typesFile = path.join(rulesFolder, THING_TYPES_FILE);
  return {
    async check(file) {
      const absolute = path.resolve(rulesFolder, file);
      const diagnostics = await thread.check(absolute, typesFile);
      return diagnostics
        .filter((d) => d.file === absolute)
        .map((d) => formatDiagnostic({ ...d, file }));
    },
    close: () => thread.close(),
  };
}
