/**
 * Keeps one rule's faults that rule's, for the thread the engine runs in: an exception thrown by a
 * callback a rule started, or a promise of a rule that rejects with nobody listening, is charged
 * to the rule whose scope (RuleScope) the code ran in, instead of ending the thread; and rule code
 * may not end or kill the process (`process.exit`, `process.abort`, `process.kill` of its own pid).
 * Installed once per engine thread; the engine's own code keeps the real `exit`.
 */
import { createHook } from 'async_hooks';
import path from 'path';
import { messageOf } from './errorMessage';
import { currentScope, describeScope, RuleScope } from './RuleScope';

export interface ContainmentOptions {
  /** Where rule files are: a stack frame there names the file when no scope is known. */
  rulesFolder: string;
  /** An error escaped rule code; `description` names what, where (method) and the file:line. */
  fault(scope: RuleScope, description: string): void;
  /** An error escaped the engine's own code (no rule to charge); the thread goes on. */
  engineError(description: string): void;
}

export interface Containment {
  /** The process's own `exit`, for the engine's shutdown. */
  exit(code?: number): never;
}

/**
 * What a refused `process.exit()` (and the like) throws: already charged to the rule as a fault
 * when it is thrown, so whoever catches it need not report it again.
 */
export class RefusedInRule extends Error {
  override name = 'RefusedInRule';
}

/** Signals that a rule may not send to its own process, its parent, or a process group. */
function endsRuleThings(pid: number): boolean {
  return pid === process.pid || pid === process.ppid || pid <= 0;
}

export function containRuleFaults(options: ContainmentOptions): Containment {
  // promise -> the scope it was created in, so a rejection nobody handles finds its rule
  const owners = new WeakMap<object, RuleScope>();
  createHook({
    init(_asyncId, type, _trigger, resource) {
      if (type !== 'PROMISE') return;
      const scope = currentScope();
      if (scope) owners.set(resource, scope);
    },
  }).enable();
  // errors already charged where they were raised (a refused exit), so they are not charged twice
  const charged = new WeakSet<object>();

  const scopeOf = (error: unknown): RuleScope | undefined =>
    currentScope() ?? fileScope(error, options.rulesFolder);

  const charge = (scope: RuleScope | undefined, what: string, error: unknown): void => {
    if (typeof error === 'object' && error !== null) {
      if (charged.has(error)) return;
      charged.add(error);
    }
    const where = locate(error, options.rulesFolder);
    if (!scope) {
      options.engineError(`${what}: ${messageOf(error)}${where ? ` (${where})` : ''}`);
      return;
    }
    const description = `${what} in code started by ${describeScope(scope)}: ${messageOf(error)}${where ? ` (${where})` : ''}`;
    options.fault(scope, description);
  };

  process.on('uncaughtException', (error) => charge(scopeOf(error), 'uncaught error', error));
  process.on('unhandledRejection', (reason, promise) =>
    charge(owners.get(promise) ?? scopeOf(reason), 'unhandled promise rejection', reason)
  );

  const realExit = process.exit.bind(process);
  const realKill = process.kill.bind(process);
  const refuse = (call: string): never => {
    const error = new RefusedInRule(
      `${call} is not allowed in a rule: it would stop every rule and the RuleThings; nothing was stopped`
    );
    const scope = scopeOf(error);
    const where = locate(error, options.rulesFolder);
    const at = where ? ` (${where})` : '';
    if (scope) options.fault(scope, `${error.message}; called from ${describeScope(scope)}${at}`);
    else options.engineError(`${error.message}${at}`);
    charged.add(error);
    throw error;
  };
  lock('exit', () => refuse('process.exit()'));
  lock('reallyExit', () => refuse('process.reallyExit()'));
  lock('abort', () => refuse('process.abort()'));
  lock('kill', (pid: number, signal?: string | number) =>
    endsRuleThings(Number(pid)) ? refuse(`process.kill(${pid})`) : realKill(pid, signal)
  );
  return { exit: realExit };
}

/** Replaces a method of `process` for good: rule code cannot put the original back. */
function lock(name: string, replacement: (...args: never[]) => unknown): void {
  Object.defineProperty(process, name, {
    value: replacement,
    writable: false,
    configurable: false,
    enumerable: true,
  });
}

/** The first stack frame in a rule file: "wake.ts:12", or undefined. */
export function locate(error: unknown, rulesFolder: string): string | undefined {
  const frame = ruleFrame(error, rulesFolder);
  return frame ? `${frame.file}:${frame.line}` : undefined;
}

/** The scope of a file's code when only the stack says where an error came from. */
function fileScope(error: unknown, rulesFolder: string): RuleScope | undefined {
  const frame = ruleFrame(error, rulesFolder);
  return frame ? { file: frame.file, method: 'unknown' } : undefined;
}

function ruleFrame(
  error: unknown,
  rulesFolder: string
): { file: string; line: number } | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  if (typeof stack !== 'string') return undefined;
  const root = path.resolve(rulesFolder) + path.sep;
  for (const match of stack.matchAll(/\(?([^\s()]+):(\d+):\d+\)?$/gm)) {
    const [, file, line] = match;
    if (file.startsWith(root)) return { file: path.relative(root, file), line: Number(line) };
  }
  return undefined;
}
