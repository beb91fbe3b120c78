/** The one shape every authoring check reports a problem in, and how it is printed ("file:line:col: message"). */
import * as path from 'path';

/** A problem found in a rule file. Lines and columns count from 1, as editors show them. */
export interface Diagnostic {
  /** The rule file, as it was given to the check. */
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
  /** Where it comes from: "TS2322" for the compiler, "range" for a value outside a property's range, "trigger" for trigger validation, "load" for loading. */
  code: string;
}

/**
 * The line a person reads: `rules/wake.ts:12:5: message`, with `file` relative to `cwd` when it is inside it.
 * @example formatDiagnostic({ file: 'wake.ts', line: 3, column: 7, message: 'Bad', severity: 'error', code: 'trigger' }) // 'wake.ts:3:7: Bad'
 */
export function formatDiagnostic(diagnostic: Diagnostic, cwd?: string): string {
  let file = diagnostic.file;
  if (cwd && path.isAbsolute(file)) {
    const relative = path.relative(cwd, file);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) file = relative;
  }
  const warning = diagnostic.severity === 'warning' ? 'warning: ' : '';
  return `${file}:${diagnostic.line}:${diagnostic.column}: ${warning}${diagnostic.message}`;
}

/** Orders diagnostics by file, then position, so output is stable however the checks ran. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column
  );
}
