/**
 * What the user set on RuleThings (enabled flags, setting values) and when each rule last fired,
 * kept in one JSON file in the add-on's data directory so it survives add-on and gateway restarts.
 * Writes are atomic (temp file, fsync, rename): a power cut leaves the old file or the new one;
 * a failed write is reported and retried (SavedFile).
 */
import fs from 'fs';
import path from 'path';
import type { Cancel, Clock } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import type { SavedRuleState } from '../engine/messages';
import { parseDuration } from '../clock';
import { formatTimeOfDay, parseTimeOfDay } from '../triggers/timeOfDay';
import { SavedFile } from './SavedFile';
import { checkSavedRule, Checked, isPlainObject } from './savedShapes';

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

/** Told when saving fails (with the rules whose changes wait to be saved) and, with null, when it works again. */
export type StateProblem = (problem: string | null, ruleIds: string[]) => void;

export class StateStore {
  private state: StateFile = { version: VERSION, rules: noPrototype({}) };
  private readonly disk: SavedFile;
  // rule ids changed since the last write that reached the disk
  private readonly unsaved = new Set<string>();
  private cancelDelayed?: Cancel;

  constructor(
    readonly file: string,
    private readonly clock: Clock,
    onProblem?: StateProblem
  ) {
    this.disk = new SavedFile(
      file,
      'the rule states',
      clock,
      () => JSON.stringify(this.state, null, 2) + '\n',
      {
        problem: (problem) => onProblem?.(problem, [...this.unsaved]),
        written: () => this.unsaved.clear(),
      }
    );
  }

  /**
   * Reads the file. A missing file is a first start. One that is not a state file at all is moved
   * aside as `<file>.corrupt-<time>` and the defaults are used; one with bad parts (`settings:
   * [1,2]`, `lastFired: 42`) is copied aside and its good parts are kept. Returns a message for
   * the user, or null.
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
    const { value, problems, whole } = readStateFile(text);
    const migrated = value.version === 1 && migrateToVersion2(value.rules);
    this.state = { version: VERSION, rules: noPrototype(value.rules) };
    if (migrated) void this.disk.save();
    if (problems.length === 0) return null;
    const listed =
      problems.slice(0, 5).join('; ') +
      (problems.length > 5 ? `; and ${problems.length - 5} more` : '');
    let backup: string;
    try {
      backup = this.disk.keepAside(whole ? 'move' : 'copy');
    } catch (error) {
      return `The saved rule states in ${this.file} are corrupt (${listed}) and could not be kept aside (${(error as Error).message}); the rules start with their defaults`;
    }
    if (whole) {
      this.state = { version: VERSION, rules: noPrototype({}) };
      return `The saved rule states were corrupt (${listed}); the file was kept as ${backup} and the rules start with their defaults (enabled flags and settings as the rule files declare them)`;
    }
    return `Parts of the saved rule states were refused (${listed}); the rest is kept, the file as it was is in ${backup}`;
  }

  get(ruleId: string): SavedRule | undefined {
    return Object.hasOwn(this.state.rules, ruleId) ? this.state.rules[ruleId] : undefined;
  }

  /** A copy of everything saved, keyed by rule id (for the engine worker's start). */
  all(): Record<string, SavedRule> {
    return JSON.parse(JSON.stringify(this.state.rules)) as Record<string, SavedRule>;
  }

  /** Saved at once; the promise resolves when written or when the write failed (reported and retried), and never rejects. */
  setEnabled(ruleId: string, enabled: boolean): Promise<void> {
    this.entry(ruleId).enabled = enabled;
    return this.save(ruleId);
  }

  /** As setEnabled. */
  setSetting(ruleId: string, name: string, value: JsonValue): Promise<void> {
    const entry = this.entry(ruleId);
    entry.settings = { ...entry.settings, [name]: value };
    return this.save(ruleId);
  }

  /** Drops a saved setting the rule no longer accepts, so the rule's default applies again; as setEnabled. */
  forgetSetting(ruleId: string, name: string): Promise<void> {
    const settings = this.get(ruleId)?.settings;
    if (!settings || !(name in settings)) return Promise.resolve();
    delete settings[name];
    return this.save(ruleId);
  }

  /** Noted at once, written within a minute (or on `flush`). */
  setLastFired(ruleId: string, at: string): void {
    this.entry(ruleId).lastFired = at;
    this.unsaved.add(ruleId);
    this.cancelDelayed ??= this.clock.after(LAST_FIRED_WRITE_DELAY_MS, () => {
      this.cancelDelayed = undefined;
      void this.disk.save();
    });
  }

  /** An alarm's occurrence that ran, written at once (after a crash it must not run again); as setEnabled. */
  setOccurrence(ruleId: string, trigger: string, at: string): Promise<void> {
    const entry = this.entry(ruleId);
    entry.occurrences = { ...entry.occurrences, [trigger]: at };
    return this.save(ruleId);
  }

  /** Writes whatever is not yet on disk; resolves when it is, or when that failed. */
  async flush(): Promise<void> {
    this.cancelDelayed?.();
    this.cancelDelayed = undefined;
    if (this.unsaved.size > 0) await this.disk.save();
    await this.disk.flush();
  }

  private entry(ruleId: string): SavedRule {
    return (this.state.rules[ruleId] = this.get(ruleId) ?? {});
  }

  private save(ruleId: string): Promise<void> {
    this.unsaved.add(ruleId);
    return this.disk.save();
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

/**
 * The state in `text`, checked deeply: `whole` when it is not a state file at all (nothing kept),
 * else each bad part dropped with a message.
 */
function readStateFile(text: string): Checked<StateFile> & { whole: boolean } {
  const empty: StateFile = { version: VERSION, rules: noPrototype({}) };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { value: empty, problems: [`not JSON: ${(error as Error).message}`], whole: true };
  }
  const refuse = (problem: string) => ({ value: empty, problems: [problem], whole: true });
  if (!isPlainObject(data)) return refuse('not an object');
  if (data.version !== 1 && data.version !== VERSION)
    return refuse(`unknown version ${JSON.stringify(data.version)}`);
  if (!isPlainObject(data.rules)) return refuse('"rules" is not an object');
  const problems: string[] = [];
  const rules: Record<string, SavedRule> = noPrototype({});
  for (const [id, raw] of Object.entries(data.rules)) {
    const checked = checkSavedRule(id, raw);
    problems.push(...checked.problems);
    if (checked.value) rules[id] = checked.value;
  }
  return { value: { version: data.version as 1 | 2, rules }, problems, whole: false };
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
