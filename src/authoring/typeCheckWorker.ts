/**
 * The type checker's own thread: the TypeScript compiler takes seconds and tens of MB per check
 * (more on a Pi), so it runs here, under its own memory limit, and the engine thread that asks
 * never waits on it. Answers each `TypeCheckRequest` with that file's diagnostics.
 */
import { parentPort } from 'worker_threads';
import * as fs from 'fs';
import { messageOf } from '../engine/errorMessage';
import type { Diagnostic } from './diagnostics';
import { RuleTypeChecker } from './typeCheck';

/** A file to check (absolute), with the thing types beside it when there are any. */
export interface TypeCheckRequest {
  id: number;
  file: string;
  typesFile?: string;
}

export type TypeCheckAnswer =
  { id: number; diagnostics: Diagnostic[] } | { id: number; error: string };

if (parentPort) {
  const port = parentPort;
  // Kept between requests: a re-check re-parses only the changed file.
  const checker = new RuleTypeChecker();
  port.on('message', ({ id, file, typesFile }: TypeCheckRequest) => {
    try {
      const types = typesFile && fs.existsSync(typesFile) ? typesFile : undefined;
      const diagnostics = checker.check([file], { typesFile: types });
      port.postMessage({ id, diagnostics } satisfies TypeCheckAnswer);
    } catch (error) {
      port.postMessage({ id, error: messageOf(error) } satisfies TypeCheckAnswer);
    }
  });
}
