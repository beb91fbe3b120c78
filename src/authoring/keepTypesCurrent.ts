/** The add-on's side of typed things: keeps `things.d.ts` and a `tsconfig.json` in the rules folder current, so an editor opened on it knows the home. */
import * as fs from 'fs';
import * as path from 'path';
import { Cancel, Clock, RealClock } from '../clock';
import { messageOf } from '../engine/errorMessage';
import type { ConnectionState, GatewayConnection } from '../protocol/gateway';
import { defaultApiFile, nodeTypeRoot } from './apiFiles';
import { THING_TYPES_FILE, writeThingTypes } from './typesFile';

/** Where keepThingTypesCurrent reports what it wrote and what it could not write (the engine's log). */
export type TypesLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface KeepTypesOptions {
  /** Schedules the debounced rewrite; a RealClock by default (a VirtualClock in tests). */
  clock?: Clock;
  /** How long the things must stay unchanged before the file is rewritten (default 1000 ms): pairing a device sends several changes. */
  quietMs?: number;
  /** Named in the file's header ("http://gateway.local:8080"). */
  source?: string;
  /** The declarations 'rule-things' resolves to in the editor; this package's by default. */
  apiFile?: string;
}

/** The first line of a tsconfig.json we wrote; without it the file is someone's own and left alone. */
export const TSCONFIG_MARKER = '// Written by Rule Things';

/**
 * Writes `things.d.ts` into `rulesFolder` now (when the gateway's things are known) and again
 * whenever a thing is added, changed or removed or the connection comes back, once the things
 * have been quiet for `quietMs`; writes the folder's tsconfig.json if it has none. Only writes
 * what differs. A hand-written `things.d.ts` is never overwritten: that is logged once, as is
 * any other failure to write. Returns what stops it.
 *
 * @example const stop = keepThingTypesCurrent(gateway, rulesFolder, log, { clock });
 */
export function keepThingTypesCurrent(
  gateway: GatewayConnection,
  rulesFolder: string,
  log: TypesLog,
  options: KeepTypesOptions = {}
): Cancel {
  const clock = options.clock ?? new RealClock('UTC');
  const quietMs = options.quietMs ?? 1000;
  const file = path.join(rulesFolder, THING_TYPES_FILE);
  // The last failure logged, so a refused file is not reported on every change.
  let lastProblem: string | undefined;
  const report = (problem: string | undefined): void => {
    if (problem !== undefined && problem !== lastProblem) log('warn', problem);
    lastProblem = problem;
  };

  try {
    if (writeRulesTsconfig(rulesFolder, options.apiFile))
      log('info', `wrote ${path.join(rulesFolder, 'tsconfig.json')} for editors`);
  } catch (error) {
    log('warn', `could not write the rules folder's tsconfig.json: ${messageOf(error)}`);
  }

  // Before the first connection things() is empty; writing then would wipe a good file.
  let known = gateway.things().length > 0;
  let pending: Cancel | undefined;
  const write = (): void => {
    pending = undefined;
    if (!known) return;
    const things = gateway.things();
    try {
      const wrote = writeThingTypes(
        file,
        things.map((thing) => thing.description),
        { source: options.source }
      );
      if (wrote) log('info', `wrote ${file} (${things.length} things)`);
      report(undefined);
    } catch (error) {
      report(`could not write the thing types: ${messageOf(error)}`);
    }
  };
  const schedule = (): void => {
    known = true;
    pending?.();
    pending = clock.after(quietMs, write);
  };
  const onConnection = (state: ConnectionState): void => {
    if (state.state === 'up') schedule();
  };

  gateway.on('connection', onConnection);
  gateway.on('thingAdded', schedule);
  gateway.on('thingModified', schedule);
  gateway.on('thingRemoved', schedule);
  write();
  return () => {
    gateway.off('connection', onConnection);
    gateway.off('thingAdded', schedule);
    gateway.off('thingModified', schedule);
    gateway.off('thingRemoved', schedule);
    pending?.();
    pending = undefined;
  };
}

/**
 * The tsconfig.json of a rules folder: the options `rule-things check` uses, and `rule-things`
 * mapped to the running package's declarations by absolute path, because the rules folder (in
 * the gateway's data folder) has no node_modules from which the add-on (in addons/rule-things)
 * could be found.
 */
export function rulesTsconfig(apiFile: string = defaultApiFile()): string {
  const typeRoot = nodeTypeRoot();
  const compilerOptions = {
    strict: true,
    target: 'ES2022',
    module: 'commonjs',
    moduleResolution: 'node',
    lib: ['ES2022'],
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    noImplicitOverride: true,
    paths: { 'rule-things': [path.resolve(apiFile)] },
    // @types/node is there in a development checkout, not in the packaged add-on.
    ...(typeRoot ? { typeRoots: [typeRoot], types: ['node'] } : { types: [] }),
  };
  return (
    `${TSCONFIG_MARKER} so that an editor opened on this folder knows 'rule-things' and this home's things (${THING_TYPES_FILE}).\n` +
    `// Rewritten when the add-on moves; delete these two lines to keep your own changes.\n` +
    `${JSON.stringify({ compilerOptions }, null, 2)}\n`
  );
}

/**
 * Writes `rulesFolder/tsconfig.json` when it is missing, or when we wrote it and it is out of
 * date (the add-on was moved or reinstalled elsewhere); returns whether it wrote. A tsconfig.json
 * without our first line is the author's and is never touched.
 */
export function writeRulesTsconfig(rulesFolder: string, apiFile?: string): boolean {
  const file = path.join(rulesFolder, 'tsconfig.json');
  const text = rulesTsconfig(apiFile);
  let current: string | undefined;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text || (current !== undefined && !current.startsWith(TSCONFIG_MARKER)))
    return false;
  fs.mkdirSync(rulesFolder, { recursive: true });
  fs.writeFileSync(file, text);
  return true;
}
