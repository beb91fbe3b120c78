/**
 * Keeps a RuleSystem in step with a folder of rule files: loads them all, and when one changes,
 * is added or removed, replaces just that file's rules, keeping their on/off state and settings.
 */
import fs from 'fs';
import path from 'path';
import type { Cancel, Clock } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import { messageOf } from './errorMessage';
import {
  fileFingerprint,
  isRuleFile,
  listRuleFiles,
  LoadedFile,
  loadRuleFile,
  THING_TYPES_FILE,
} from './loadRules';
import type { SavedRuleState, SetAsideFile } from './messages';
import { ruleId } from './ruleNaming';
import type { RuleSystem } from './RuleSystem';
import { watchFolder } from './watchFolder';

export interface RuleFolderOptions {
  /** Saved state per rule id, applied when a rule is first added (the add-on's persistence). */
  saved?: Record<string, SavedRuleState>;
  /** Told of each file (re)loaded, and of its warnings. */
  log?: (message: string, level?: 'info' | 'warn') => void;
  /**
   * Type-checks a file (relative to the folder) once its rules are loaded, at start and on every
   * change alike, e.g. `createRuleChecker(folder).check`: what it finds ("wake.ts:12:5: …") is
   * shown in the rules' status and logged as warnings, and never stops a rule. A check that
   * throws is logged.
   */
  check?: (file: string) => Promise<string[]>;
  /**
   * file -> why it was set aside (it threw, exited or blocked while loading) and what it held
   * then: not loaded again until its content changes.
   */
  setAside?: Record<string, SetAsideFile>;
  /** Told of each file that failed while loading, so a restarted engine does not run it again. */
  failedToLoad?: (file: string, setAside: SetAsideFile) => void;
  /**
   * Put before every rule id of this folder ("ready-"), so the rules of a second folder (the
   * add-on's ready rules) never take the id of a copy in the user's folder.
   */
  idPrefix?: string;
}

export class RuleFolder {
  // file name -> ids of the rules it added
  private readonly idsByFile = new Map<string, string[]>();
  // rule id -> its on/off state and settings when last removed, so a fixed file gets them back
  private readonly remembered = new Map<
    string,
    { enabled: boolean; settings: Record<string, JsonValue> }
  >();
  // file name -> fileFingerprint() of what was loaded from it
  private readonly loadedAs = new Map<string, string | undefined>();
  private stopWatching: Cancel | undefined;
  // file name -> its reload in progress: a check takes a while, and two saves in a row must not
  // interleave (both would add the same rule ids)
  private readonly reloading = new Map<string, Promise<unknown>>();
  // checks under way, for `checked()`
  private readonly checking = new Set<Promise<void>>();

  constructor(
    private readonly system: RuleSystem,
    readonly folder: string,
    private readonly clock: Clock,
    private readonly options: RuleFolderOptions = {}
  ) {}

  /** Loads every rule file into the system; `loaded` is told after each file (a heartbeat). */
  async loadAll(loaded?: () => void): Promise<void> {
    for (const file of listRuleFiles(this.folder)) {
      await this.reload(file);
      loaded?.();
    }
  }

  /**
   * Watches the folder; a change is applied within about `quietMs` plus the load time. A file
   * added, changed or removed since it was loaded (while the engine was starting) is applied now.
   */
  watch(quietMs = 300): void {
    this.stopWatching?.();
    this.stopWatching = watchFolder(
      this.folder,
      this.clock,
      (file) => {
        if (isRuleFile(file)) void this.reload(file);
        // The home's thing types changed: every file's warnings may have too.
        else if (file === THING_TYPES_FILE) this.recheckAll();
      },
      quietMs
    );
    const files = new Set([...listRuleFiles(this.folder), ...this.loadedAs.keys()]);
    for (const file of files) {
      if (fileFingerprint(this.folder, file) !== this.loadedAs.get(file)) void this.reload(file);
    }
  }

  close(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  /** Resolves once every type check started so far has shown its warnings. */
  async checked(): Promise<void> {
    while (this.checking.size > 0) await Promise.all([...this.checking]);
  }

  /** Replaces the rules of one file with what it holds now (none if it was deleted). */
  reload(file: string): Promise<LoadedFile | undefined> {
    const next = (this.reloading.get(file) ?? Promise.resolve()).then(() => this.replace(file));
    const settled = next.catch(() => undefined);
    this.reloading.set(file, settled);
    void settled.then(() => {
      if (this.reloading.get(file) === settled) this.reloading.delete(file);
    });
    return next;
  }

  private async replace(file: string): Promise<LoadedFile | undefined> {
    const exists = fs.existsSync(path.join(this.folder, file));
    const previous = this.idsByFile.get(file) ?? [];
    for (const id of previous) {
      const info = this.system.rule(id);
      if (info && !info.status.startsWith('failed to load')) {
        const settings = Object.fromEntries(info.settings.map((s) => [s.name, s.value]));
        this.remembered.set(id, { enabled: info.enabled, settings });
      }
      await this.system.removeRule(id);
    }
    this.idsByFile.delete(file);
    this.loadedAs.delete(file);
    if (!exists) {
      if (previous.length > 0) this.options.log?.(`rule file ${file} removed`);
      return undefined;
    }
    const fingerprint = fileFingerprint(this.folder, file);
    this.loadedAs.set(file, fingerprint);
    const aside = this.options.setAside?.[file];
    if (aside && aside.fingerprint === fingerprint) {
      const id = this.system.addLoadFailure({
        id: (this.options.idPrefix ?? '') + ruleId(file, ''),
        name: baseName(file),
        file,
        status: aside.reason,
      });
      this.idsByFile.set(file, [id]);
      this.options.log?.(`rule file ${file} not loaded: ${aside.reason}`);
      return { file, rules: [], failure: { id, name: baseName(file), status: aside.reason } };
    }
    const loaded = withPrefix(loadRuleFile(this.folder, file), this.options.idPrefix ?? '');
    if (loaded.failure && fingerprint) {
      this.options.failedToLoad?.(file, { fingerprint, reason: loaded.failure.status });
    }
    const ids: string[] = [];
    if (loaded.failure) {
      ids.push(this.system.addLoadFailure({ ...loaded.failure, file }));
    }
    for (const rule of loaded.rules) {
      const before = this.remembered.get(rule.id);
      // Own keys only: a rule may be called "constructor" or "toString".
      const saved =
        this.options.saved && Object.hasOwn(this.options.saved, rule.id)
          ? this.options.saved[rule.id]
          : undefined;
      const settings = before ? before.settings : saved?.settings;
      try {
        ids.push(
          this.system.addRule(rule.ruleClass, {
            id: rule.id,
            file,
            enabled: before ? before.enabled : saved?.enabled,
            settings,
            occurrences: saved?.occurrences,
            restore: saved?.restore,
          })
        );
      } catch (error) {
        this.options.log?.(`rule ${rule.name} of ${file} not added: ${(error as Error).message}`);
      }
    }
    this.idsByFile.set(file, ids);
    this.options.log?.(
      loaded.failure
        ? `rule file ${file}: ${loaded.failure.status}`
        : `rule file ${file} loaded: ${loaded.rules.map((r) => r.name).join(', ') || 'no rules'}`
    );
    if (!loaded.failure) this.checkInBackground(file, ids);
    return loaded;
  }

  /** Type-checks every loaded file again (its rules keep running). */
  private recheckAll(): void {
    for (const [file, ids] of this.idsByFile) this.checkInBackground(file, ids);
  }

  /** Type-checks `file` off the engine's way; its warnings go to `ids` if they are still its rules. */
  private checkInBackground(file: string, ids: string[]): void {
    const check = this.options.check;
    if (!check || ids.length === 0) return;
    const done = check(file).then(
      (warnings) => {
        if (this.idsByFile.get(file) !== ids) return;
        for (const id of ids) this.system.setWarnings(id, warnings);
        if (warnings.length > 0)
          this.options.log?.(`rule file ${file}: type warning: ${warnings.join('; ')}`, 'warn');
      },
      (error: unknown) =>
        this.options.log?.(`rule file ${file} not type-checked: ${messageOf(error)}`)
    );
    this.checking.add(done);
    void done.finally(() => this.checking.delete(done));
  }
}

/** The loaded file with `prefix` before every rule id. */
function withPrefix(loaded: LoadedFile, prefix: string): LoadedFile {
  if (!prefix) return loaded;
  return {
    ...loaded,
    rules: loaded.rules.map((rule) => ({ ...rule, id: prefix + rule.id })),
    ...(loaded.failure ? { failure: { ...loaded.failure, id: prefix + loaded.failure.id } } : {}),
  };
}

/** "wake" for "wake.ts": the name a file-level entry shows, as the loader names it. */
function baseName(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}
