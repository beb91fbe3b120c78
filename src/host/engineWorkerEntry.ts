/** Where the engine thread's script is: compiled JavaScript in the add-on, TypeScript source in development and tests. */
import path from 'path';

/**
 * The engine's heap limit (MB): a Raspberry Pi has little memory to spare, and a rule that leaks
 * should end the engine thread (which restarts) long before it troubles the gateway. The live heap
 * of 1,000 rules over 1,000 things is about 30 MB; the limit also makes V8 collect sooner under load.
 */
export const ENGINE_HEAP_LIMIT_MB = 128;

/**
 * How often the engine thread tells its watchdog it is alive; often enough that a RuleThing write
 * can tell a busy engine within a second (see EngineHost.setSetting).
 */
export const ENGINE_HEARTBEAT_MS = 500;

/**
 * How long one rule's code may run without a break (a file's top level included) before the
 * engine is stopped and the rule switched off: synchronous code that runs for seconds in a home's
 * rule is a bug (an endless loop), and every other rule waits meanwhile. Far above what a rule
 * needs on a loaded Raspberry Pi (a few ms), far below the heartbeat timeout (10 s) that catches a
 * thread blocked outside rule code. The add-on's setting `ruleCodeLimitSeconds` changes it.
 */
export const RULE_CODE_LIMIT_MS = 2000;

export interface WorkerEntry {
  script: string;
  execArgv: string[];
}

/** The engine worker next to this module, with sucrase preloaded when running from source. */
export function engineWorkerEntry(): WorkerEntry {
  return workerEntry(path.join(__dirname, 'engineWorker'));
}

/** The worker script `base` (a path without extension): `.ts` with sucrase preloaded when running from source, else `.js`. */
export function workerEntry(base: string): WorkerEntry {
  const fromSource = __filename.endsWith('.ts');
  return {
    script: `${base}${fromSource ? '.ts' : '.js'}`,
    execArgv: fromSource ? ['--require', 'sucrase/register'] : [],
  };
}
