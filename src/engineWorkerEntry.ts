/** Where the engine thread's script is: compiled JavaScript in the add-on, TypeScript source in development and tests. */
import path from 'path';

export interface WorkerEntry {
  script: string;
  execArgv: string[];
}

/** The engine worker next to this module, with sucrase preloaded when running from source. */
export function engineWorkerEntry(): WorkerEntry {
  const fromSource = __filename.endsWith('.ts');
  return {
    script: path.join(__dirname, fromSource ? 'engineWorker.ts' : 'engineWorker.js'),
    execArgv: fromSource ? ['--require', 'sucrase/register'] : [],
  };
}
