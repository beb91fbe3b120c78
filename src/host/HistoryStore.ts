/**
 * The last firings and errors across all rules, for the Rule Things page: kept in memory and in
 * one JSON file in the add-on's data directory, capped in entries and in the length of each text
 * so the file stays small, and written at most once a minute (a rule may fire every 2 seconds).
 */
import fs from 'fs';
import type { Cancel, Clock } from '../clock';
import type { FiringRecord } from '../engine/messages';
import { SavedFile, SavedFileEvents } from './SavedFile';
import { isIsoTime, isPlainObject } from './savedShapes';

/** One line of the history. */
export interface HistoryEntry {
  /** ISO time it happened. */
  at: string;
  kind: 'fired' | 'error';
  /** The rule; null for a problem of the add-on itself (engine restarted, no access token). */
  ruleId: string | null;
  /** The rule's title when it happened, or "Rule Things". */
  title: string;
  /** For firings: what triggered it, in English ("at 06:30 every day"). */
  trigger?: string;
  /** For firings: what the action changed ("Porch Light on false → true"). */
  changes?: string[];
  /** For errors: the message. */
  message?: string;
}

interface HistoryFile {
  version: 1;
  /** Oldest first. */
  entries: HistoryEntry[];
}

export const HISTORY_LIMIT = 200;
// With these caps the file stays below about 300 KB whatever the rules do.
const TEXT_LIMIT = 300;
const CHANGES_LIMIT = 10;
const WRITE_DELAY_MS = 60_000;

export class HistoryStore {
  // oldest first, at most `limit`
  private entries: HistoryEntry[] = [];
  // rule id -> the last status seen, so a status is recorded once when it appears, not at every report
  private readonly statuses = new Map<string, string>();
  private cancelWrite?: Cancel;
  private readonly disk: SavedFile;

  constructor(
    readonly file: string,
    private readonly clock: Clock,
    private readonly limit = HISTORY_LIMIT,
    /** Told when a write fails (it is retried) and, with null, when writing works again. */
    onProblem?: SavedFileEvents['problem']
  ) {
    this.disk = new SavedFile(
      file,
      'the rule history',
      clock,
      () => JSON.stringify({ version: 1, entries: this.entries } satisfies HistoryFile) + '\n',
      { problem: onProblem }
    );
  }

  /**
   * Reads the file; a missing one is a first start. One that is not a history file is moved aside
   * as `<file>.corrupt-<time>` and the history starts empty; one with bad entries is copied aside
   * and its good entries are kept. Returns a message for the user, or null.
   */
  load(): string | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return `Could not read the rule history in ${this.file} (${(error as Error).message}); it starts empty`;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return this.keepAside('move', `not JSON: ${(error as Error).message}`);
    }
    if (!isPlainObject(data) || data.version !== 1 || !Array.isArray(data.entries))
      return this.keepAside('move', 'not a history file');
    const good = data.entries.filter(isEntry);
    this.entries = good.slice(-this.limit);
    const bad = data.entries.length - good.length;
    if (bad === 0) return null;
    return this.keepAside(
      'copy',
      `${bad} of ${data.entries.length} entries are not history entries`
    );
  }

  /** Keeps the file as it was beside it; the message says where. */
  private keepAside(how: 'move' | 'copy', problem: string): string {
    let backup: string;
    try {
      backup = this.disk.keepAside(how);
    } catch (error) {
      return `The rule history in ${this.file} is damaged (${problem}) and could not be kept aside (${(error as Error).message})`;
    }
    return how === 'move'
      ? `The rule history was unreadable (${problem}); it starts empty and the file was kept as ${backup}`
      : `Parts of the rule history were refused (${problem}); the other entries are kept, the file as it was is in ${backup}`;
  }

  /** Newest first, as the page shows them. */
  list(): HistoryEntry[] {
    return [...this.entries].reverse();
  }

  fired(record: FiringRecord, title: string): void {
    this.add({
      at: record.at,
      kind: 'fired',
      ruleId: record.ruleId,
      title,
      trigger: record.trigger,
      changes: record.changes,
    });
  }

  /** Notes a rule's status; an error status is recorded when it first appears (type warnings after "ok" are not errors). */
  status(ruleId: string, title: string, status: string): void {
    const previous = this.statuses.get(ruleId);
    this.statuses.set(ruleId, status);
    if (status === 'ok' || status.startsWith('ok, ') || status === previous) return;
    this.error(ruleId, title, status);
  }

  error(ruleId: string | null, title: string, message: string): void {
    this.add({ at: this.clock.now().toUTC().toISO() ?? '', kind: 'error', ruleId, title, message });
  }

  /** Writes what is not yet on disk; resolves when it is. */
  async flush(): Promise<void> {
    if (this.cancelWrite) {
      this.cancelWrite();
      this.cancelWrite = undefined;
      await this.disk.save();
    }
    await this.disk.flush();
  }

  private add(entry: HistoryEntry): void {
    this.entries.push(capped(entry));
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    this.cancelWrite ??= this.clock.after(WRITE_DELAY_MS, () => {
      this.cancelWrite = undefined;
      void this.disk.save();
    });
  }
}

function capped(entry: HistoryEntry): HistoryEntry {
  const out: HistoryEntry = { ...entry, title: cut(entry.title) };
  if (entry.trigger !== undefined) out.trigger = cut(entry.trigger);
  if (entry.message !== undefined) out.message = cut(entry.message);
  if (entry.changes !== undefined) {
    const shown = entry.changes.slice(0, CHANGES_LIMIT).map(cut);
    const more = entry.changes.length - shown.length;
    out.changes = more > 0 ? [...shown, `… and ${more} more`] : shown;
  }
  return out;
}

function cut(text: string): string {
  return text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT - 1)}…` : text;
}

function isEntry(value: unknown): value is HistoryEntry {
  if (!isPlainObject(value)) return false;
  const optionalText = (key: string): boolean =>
    value[key] === undefined || typeof value[key] === 'string';
  return (
    isIsoTime(value.at) &&
    (value.kind === 'fired' || value.kind === 'error') &&
    (value.ruleId === null || typeof value.ruleId === 'string') &&
    typeof value.title === 'string' &&
    optionalText('trigger') &&
    optionalText('message') &&
    (value.changes === undefined ||
      (Array.isArray(value.changes) && value.changes.every((c) => typeof c === 'string')))
  );
}
