/** Where the declarations rules are checked against live; kept apart from the compiler so the engine thread can find them without loading TypeScript. */
import * as fs from 'fs';
import * as path from 'path';

/**
 * The rule API's declarations: `lib/api.d.ts` in the installed package, `src/api.ts` when run from
 * the sources (tests, ts-node).
 */
export function defaultApiFile(): string {
  const candidates = ['api.d.ts', 'api.ts'].map((name) => path.resolve(__dirname, '..', name));
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found)
    throw new Error(`Rule API declarations not found: looked for ${candidates.join(', ')}`);
  return found;
}

/** Where `@types/node` lives, so rules may use `console`; undefined where it was not installed. */
export function nodeTypeRoot(): string | undefined {
  try {
    return path.dirname(path.dirname(require.resolve('@types/node/package.json')));
  } catch {
    return undefined;
  }
}
