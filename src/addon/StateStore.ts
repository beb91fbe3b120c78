/**
 * What the user set on RuleThings (enabled flags, setting values) and when each rule last fired,
 * kept in one JSON file in the add-on's data directory so it survives add-on and gateway restarts.
 * Writes are atomic (temp file, fsync, rename): a power cut leaves the old file or the new one.
 */
import fs from 'fs';
import path from 'path';
import type { Cancel, Clock } from '../clock';
import type { JsonValue } from '../engine/gateway';
import type { SavedRuleState } from '../engine/messages';
import { parseDuration } from '../clock';
import { formatTimeOfDay, parseTimeOfDay } from '../triggers/timeOfDay';

/** The saved state of one rule; a missing field means "use the rule's default". */
export type SavedRule = SavedRuleState;

interface StateFile {
  /** 2 since Morning Wake's alarmTime means "light full" (see migrateToVersion2). */
  version: 1 | 2;
  /** rule id -> what was saved for it; no prototype, so a rule may be called "constructor" */
  rules: Record<string, SavedRule>;
}

const VERSION = 2;

// A rule that fires every few seconds must not rewrite the file (an SD card on a Pi) each time.
const LAST_FIRED_WRITE_DELAY_MS = 60_000;

export class StateStore {
  private state: StateFile = { version: VERSION, rules: noPrototype({}) };
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private cancelDelayed?: Cancel;

  constructor(
    readonly file: string,
    private readonly clock: Clock
  ) {}

  /**
   * Reads the file. A missing file is a first start; a corrupt one is moved aside as
   * `<file>.corrupt-<time>` and the defaults are used. Returns a message for the user, or null.
   */
  load(): string | null {
    removeLeftoverTemps(this.file);
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return `Could not read the saved rule states in ${this.file} (${(error as Error).message}); the rules start with their defaults`;
    }
    const problem = shapeProblem(text);
    if (!problem) {
      const file = JSON.parse(text) as StateFile;
      this.state = { version: VERSION, rules: noPrototype(file.rules) };
      if (file.version === 1 && migrateToVersion2(this.state.rules)) void this.save();
      return null;
    }
    const stamp = this.clock.now().toUTC().toFormat("yyyyLLdd'T'HHmmss'Z'");
    const backup = `${this.file}.corrupt-${stamp}`;
    try {
      fs.renameSync(this.file, backup);
    } catch (error) {
      return `The saved rule states in ${this.file} are corrupt (${problem}) and could not be moved aside (${(error as Error).message}); the rules start with their defaults`;
    }
    return `The saved rule states were corrupt (${problem}); the file was kept as ${backup} and the rules start with their defaults (enabled flags and settings as the rule files declare them)`;
  }

  get(ruleId: string): SavedRule | undefined {
    return Object.hasOwn(this.state.rules, ruleId) ? this.state.rules[ruleId] : undefined;
  }

  /** A copy of everything saved, keyed by rule id (for the engine worker's start). */
  all(): Record<string, SavedRule> {
    return JSON.parse(JSON.stringify(this.state.rules)) as Record<string, SavedRule>;
  }

  setEnabled(ruleId: string, enabled: boolean): Promise<void> {
    this.entry(ruleId).enabled = enabled;
    return this.save();
  }

  setSetting(ruleId: string, name: string, value: JsonValue): Promise<void> {
    const entry = this.entry(ruleId);
    entry.settings = { ...entry.settings, [name]: value };
    return this.save();
  }

  /** Drops a saved setting the rule no longer accepts, so the rule's default applies again. */
  forgetSetting(ruleId: string, name: string): Promise<void> {
    const settings = this.get(ruleId)?.settings;
    if (!settings || !(name in settings)) return Promise.resolve();
    delete settings[name];
    return this.save();
  }

  /** Noted at once, written within a minute (or on `flush`). */
  setLastFired(ruleId: string, at: string): void {
    this.entry(ruleId).lastFired = at;
    this.dirty = true;
    this.cancelDelayed ??= this.clock.after(LAST_FIRED_WRITE_DELAY_MS, () => {
      this.cancelDelayed = undefined;
      void this.save().catch(() => undefined);
    });
  }

  /** An alarm's occurrence that ran, written at once: after a crash it must not run again. */
  setOccurrence(ruleId: string, trigger: string, at: string): Promise<void> {
    const entry = this.entry(ruleId);
    entry.occurrences = { ...entry.occurrences, [trigger]: at };
    return this.save();
  }

  /** Writes whatever is not yet on disk; resolves when it is. */
  async flush(): Promise<void> {
    this.cancelDelayed?.();
    this.cancelDelayed = undefined;
    if (this.dirty) await this.save();
    await this.writing;
  }

  private entry(ruleId: string): SavedRule {
    return (this.state.rules[ruleId] = this.get(ruleId) ?? {});
  }

  /** Queues a write of the current state; writes never overlap, so the last one wins. */
  private save(): Promise<void> {
    this.dirty = true;
    const next = this.writing
      .catch(() => undefined)
      .then(async () => {
        if (!this.dirty) return;
        this.dirty = false;
        await writeAtomically(this.file, JSON.stringify(this.state, null, 2) + '\n');
      });
    this.writing = next;
    return next;
  }
}

/**
 * Deletes the temp files of writes that a crash (kill -9, power cut) interrupted: the state file
 * itself is whole, the old one or the new one, and nothing else writes here while we load.
 */
function removeLeftoverTemps(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Why `text` is not a state file, or null if it is one. */
function shapeProblem(text: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  const file = data as Partial<StateFile> | null;
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return 'not an object';
  if (file.version !== 1 && file.version !== VERSION)
    return `unknown version ${JSON.stringify(file.version)}`;
  if (typeof file.rules !== 'object' || file.rules === null || Array.isArray(file.rules)) {
    return '"rules" is not an object';
  }
  for (const [id, rule] of Object.entries(file.rules)) {
    if (typeof rule !== 'object' || rule === null) return `rule "${id}" is not an object`;
    if (rule.enabled !== undefined && typeof rule.enabled !== 'boolean') {
      return `rule "${id}": "enabled" is not true or false`;
    }
    if (
      rule.settings !== undefined &&
      (typeof rule.settings !== 'object' || rule.settings === null)
    ) {
      return `rule "${id}": "settings" is not an object`;
    }
    if (
      rule.occurrences !== undefined &&
      (typeof rule.occurrences !== 'object' || rule.occurrences === null)
    ) {
      return `rule "${id}": "occurrences" is not an object`;
    }
  }
  return null;
}

function noPrototype<T>(record: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, record);
}

/**
 * Version 1 saved Morning Wake's `alarmTime` as the start of its fade; it now means the time the
 * light is full, as in the seed. Each saved one is moved by its fade (saved, or the 20 minutes
 * the rule declares) once: the file says version 2 from then on. True if anything changed.
 */
export function migrateToVersion2(rules: Record<string, SavedRule>): boolean {
  let changed = false;
  for (const [id, rule] of Object.entries(rules)) {
    const alarm = rule.settings?.alarmTime;
    if (!id.endsWith('morning-fade-wake') || typeof alarm !== 'string') continue;
    const fade = rule.settings?.fadeDuration ?? '20m';
    try {
      const start = parseTimeOfDay(alarm);
      const day = 86_400;
      const seconds =
        (start.hour * 3600 +
          start.minute * 60 +
          start.second +
          parseDuration(fade as string) / 1000) %
        day;
      rule.settings!.alarmTime = formatTimeOfDay({
        hour: Math.floor(seconds / 3600),
        minute: Math.floor((seconds % 3600) / 60),
        second: Math.floor(seconds % 60),
      });
      changed = true;
    } catch {
      // A value the rule would refuse anyway is left for it to refuse.
    }
  }
  return changed;
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
