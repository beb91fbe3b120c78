/**
 * Keeps track of the process groups the suite starts (a gateway and its add-on processes share
 * one), so that none outlives the suite: an exit guard kills them when the test process ends for
 * any reason, and globalTeardown kills any a crashed test process left (their ids are files in
 * <runDir>/groups).
 */
import fs from 'fs';
import path from 'path';

const live = new Set<number>();
let guarded = false;

function groupsDir(runDir: string): string {
  return path.join(runDir, 'groups');
}

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
}

/** True while any process of the group is alive. */
export function groupAlive(pgid: number): boolean {
  return killGroup(pgid, 0 as unknown as NodeJS.Signals);
}

function guard(): void {
  if (guarded) return;
  guarded = true;
  process.on('exit', () => {
    for (const pgid of live) killGroup(pgid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pgid of live) killGroup(pgid, 'SIGKILL');
      process.exit(130);
    });
  }
}

export function trackGroup(runDir: string, pgid: number): void {
  guard();
  live.add(pgid);
  fs.mkdirSync(groupsDir(runDir), { recursive: true });
  fs.writeFileSync(path.join(groupsDir(runDir), String(pgid)), '');
}

export function untrackGroup(runDir: string, pgid: number): void {
  live.delete(pgid);
  fs.rmSync(path.join(groupsDir(runDir), String(pgid)), { force: true });
}

/** Kills every group still recorded under runDir (a test process that died without cleaning up). */
export function killLeftovers(runDir: string): void {
  const dir = groupsDir(runDir);
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    const pgid = Number(name);
    if (killGroup(pgid, 'SIGKILL')) {
      process.stdout.write(`test:gateway: killed leftover process group ${pgid}\n`);
    }
  }
}
