/**
 * A process a test starts beside the gateway (the standalone runner…), in its own process group,
 * killed at stop(), at process exit and by globalTeardown like the gateway's.
 */
import { ChildProcess, spawn, SpawnOptions } from 'child_process';
import { groupAlive, trackGroup, untrackGroup } from './processes';
import { suiteState } from './suite';
import { waitFor } from './waitFor';

export class TrackedProcess {
  private text = '';
  private exitCode: number | null | undefined;

  private constructor(private readonly child: ChildProcess) {
    const append = (chunk: Buffer) => (this.text += chunk.toString());
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    child.on('exit', (code) => (this.exitCode = code));
  }

  static start(command: string, args: string[], options: SpawnOptions): TrackedProcess {
    const child = spawn(command, args, {
      ...options,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackGroup(suiteState().runDir, child.pid!);
    return new TrackedProcess(child);
  }

  /** Everything it wrote to stdout and stderr so far. */
  output(): string {
    return this.text;
  }

  /** True until it exits. */
  running(): boolean {
    return this.exitCode === undefined;
  }

  /** SIGTERM to its group, SIGKILL after 5 s. */
  async stop(): Promise<void> {
    const pgid = this.child.pid!;
    if (groupAlive(pgid)) {
      process.kill(-pgid, 'SIGTERM');
      await waitFor(() => !groupAlive(pgid), 5_000, 'the process to exit', 100).catch(() =>
        process.kill(-pgid, 'SIGKILL')
      );
    }
    untrackGroup(suiteState().runDir, pgid);
  }
}
