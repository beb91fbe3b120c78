/**
 * One JSON file of the add-on's data folder, written atomically (temp file, fsync, rename) and one
 * write at a time, the last state winning. A write that fails (a read-only or full disk) never
 * rejects into its caller: it is reported once and retried, 5 s later and then less and less
 * often, until it works; the state stays in memory meanwhile.
 */
import fs from 'fs';
import path from 'path';
import type { Cancel, Clock } from '../clock';
import { messageOf } from '../engine/errorMessage';

export interface SavedFileEvents {
  /** A write failed (the message says what and why), or, with null, works again after failing. */
  problem?: (problem: string | null) => void;
  /** A write reached the disk. */
  written?: () => void;
}

const FIRST_RETRY_MS = 5_000;
const LAST_RETRY_MS = 5 * 60_000;

export class SavedFile {
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private failing: string | null = null;
  private retryMs = FIRST_RETRY_MS;
  private cancelRetry?: Cancel;

  constructor(
    readonly file: string,
    /** What the file holds, e.g. "the rule states". */
    private readonly what: string,
    private readonly clock: Clock,
    private readonly render: () => string,
    private readonly events: SavedFileEvents = {}
  ) {}

  /** Writes the state now, after any write under way; resolves once it is on disk or the attempt failed. Never rejects. */
  save(): Promise<void> {
    this.dirty = true;
    const next = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await writeAtomically(this.file, this.render());
      } catch (error) {
        this.dirty = true;
        this.failed(messageOf(error));
        return;
      }
      this.succeeded();
    });
    this.writing = next;
    return next;
  }

  /** Writes what is not yet on disk (once, without waiting for a retry); resolves when it has tried. */
  async flush(): Promise<void> {
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    if (this.dirty) await this.save();
    await this.writing;
  }

  /**
   * Keeps the file as `<file>.corrupt-<UTC time>`: moved (the caller starts afresh) or copied (the
   * caller keeps its good parts); returns the new name, throws when it cannot.
   */
  keepAside(how: 'move' | 'copy'): string {
    const stamp = this.clock.now().toUTC().toFormat("yyyyLLdd'T'HHmmss'Z'");
    const backup = `${this.file}.corrupt-${stamp}`;
    if (how === 'move') fs.renameSync(this.file, backup);
    else fs.copyFileSync(this.file, backup);
    return backup;
  }

  private failed(reason: string): void {
    const seconds = Math.round(this.retryMs / 1000);
    const problem = `could not save ${this.what} to ${this.file} (${reason}); they are kept in memory and saved as soon as the disk takes them (next try in ${seconds} s)`;
    if (this.failing === null) this.events.problem?.(problem);
    this.failing = problem;
    this.cancelRetry ??= this.clock.after(this.retryMs, () => {
      this.cancelRetry = undefined;
      void this.save();
    });
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }

  private succeeded(): void {
    this.retryMs = FIRST_RETRY_MS;
    this.events.written?.();
    if (this.failing === null) return;
    this.failing = null;
    this.events.problem?.(null);
  }
}

/** Writes a temp file beside `file`, fsyncs it, renames it over `file`, then fsyncs the folder. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await fs.promises.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temp, file);
  // The rename itself is durable only once the directory entry is on disk.
  const dir = await fs.promises.open(path.dirname(file), 'r').catch(() => undefined);
  if (dir) {
    await dir.sync().catch(() => undefined);
    await dir.close();
  }
}
