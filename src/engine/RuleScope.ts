/**
 * Which rule a piece of code works for. Every entry into rule code (a file's top level, the
 * constructor, triggers(), initialState(), an action, a While rule's condition) runs inside a scope
 * kept by AsyncLocalStorage, so whatever that code starts (timers, promises, callbacks) carries the
 * rule's identity: an error that escapes it later is charged to that rule, and a watchdog can tell
 * which rule's code the thread is in.
 */
import { AsyncLocalStorage } from 'async_hooks';

export interface RuleScope {
  /** The rule; absent for a file's top level, which belongs to every rule of the file. */
  readonly ruleId?: string;
  /** The rule file, relative to the rules folder ('' for a rule added in code). */
  readonly file: string;
  /** What was entered: "action", "initialState", "top level"… */
  readonly method: string;
}

const scopes = new AsyncLocalStorage<RuleScope>();

/** Told of every synchronous entry into and exit from rule code (the watchdog's probe). */
type ScopeObserver = (scope: RuleScope | undefined, viaCallback: boolean) => void;
let observer: ScopeObserver | undefined;

/** Runs `fn` as code of `scope`; everything it starts keeps the scope. */
export function runInScope<T>(scope: RuleScope, fn: () => T): T {
  const outer = scopes.getStore();
  observer?.(scope, false);
  try {
    return scopes.run(scope, fn);
  } finally {
    observer?.(outer, false);
  }
}

/** The scope of the code running now, if it is rule code or was started by it. */
export function currentScope(): RuleScope | undefined {
  return scopes.getStore();
}

/**
 * Runs `fn` outside any rule's scope: for engine machinery (a shared connection) that a rule's
 * call may create but that must not be charged to that rule afterwards.
 */
export function outsideScope<T>(fn: () => T): T {
  return scopes.exit(fn);
}

/** Installs the one observer of this thread (the probe); returns its removal. */
export function observeScopes(next: ScopeObserver): () => void {
  observer = next;
  return () => {
    if (observer === next) observer = undefined;
  };
}

/** "action()", "the top level of wake.ts" or "wake.ts" (only the stack knew), for messages. */
export function describeScope(scope: RuleScope): string {
  if (scope.method === 'top level') return `the top level of ${scope.file}`;
  if (!scope.ruleId) return scope.file;
  return `${scope.method}()`;
}
