/**
 * Keeps a RuleSystem in step with a folder of rule files: loads them all, and when one changes,
 * is added or removed, replaces just that file's rules, keeping their on/off state and settings.
 */
import fs from 'fs';
import path from 'path';
import type { Cancel, Clock } from '../clock';
import type { JsonValue } from './gateway';
import { messageOf } from './errorMessage';
import { isRuleFile, listRuleFiles, LoadedFile, loadRuleFile } from './loadRules';
import type { SavedRuleState } from './messages';
import { ruleId } from './ruleNaming';
import type { RuleSystem } from './RuleSystem';
import { watchFolder } from './watchFolder';

export interface RuleFolderOptions {
  /** Saved state per rule id, applied when a rule is first added (the add-on's persistence). */
  saved?: Record<string, SavedRuleState>;
  /** Told of each file (re)loaded. */
  log?: (message: string) => void;
  /**
   * Checks a file (relative to the folder) before its rules start, e.g. `createRuleChecker`:
   * a message ("wake.ts:12:5: …") keeps them from starting and becomes their status. A check
   * that throws is logged and the file loads unchecked, so a broken checker stops no rule.
   */
  check?: (file: string) => Promise<string | undefined>;
}

export class RuleFolder {
  // file name -> ids of the rules it added
  private readonly idsByFile = new Map<string, string[]>();
  // rule id -> its on/off state and settings when last removed, so a fixed file gets them back
  private readonly remembered = new Map<
    string,
    { enabled: boolean; settings: Record<string, JsonValue> }
  >();
  private stopWatching: Cancel | undefined;
  // file name -> its reload in progress: a check takes a while, and two saves in a row must not
  // interleave (both would add the same rule ids)
  private readonly reloading = new Map<string, Promise<unknown>>();

  constructor(
    private readonly system: RuleSystem,
    readonly folder: string,
    private readonly clock: Clock,
    private readonly options: RuleFolderOptions = {}
  ) {}

  /** Loads every rule file into the system. */
  async loadAll(): Promise<void> {
    for (const file of listRuleFiles(this.folder)) await this.reload(file);
  }

  /** Watches the folder; a change is applied within about `quietMs` plus the load time. */
  watch(quietMs = 300): void {
    this.stopWatching?.();
    this.stopWatching = watchFolder(
      this.folder,
      this.clock,
      (file) => {
        if (isRuleFile(file)) void this.reload(file);
      },
      quietMs
    );
  }

  close(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
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
    // Checked before the old rules go, so they keep running while the compiler works.
    const problem = exists ? await this.checkFile(file) : undefined;
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
    if (!exists) {
      if (previous.length > 0) this.options.log?.(`rule file ${file} removed`);
      return undefined;
    }
    const loaded = loadRuleFile(this.folder, file);
    const ids: string[] = [];
    if (problem !== undefined) {
      const status = `failed to load ${problem}`;
      // Each rule keeps its id, so its RuleThing stays and shows why it did not start.
      const failed = loaded.failure ? [loaded.failure] : loaded.rules;
      const entries = failed.length > 0 ? failed : [{ id: ruleId(file, ''), name: baseName(file) }];
      for (const { id, name } of entries) {
        ids.push(this.system.addLoadFailure({ id, name, file, status }));
      }
      this.idsByFile.set(file, ids);
      this.options.log?.(`rule file ${file}: ${status}`);
      return { file, rules: [], failure: { id: entries[0].id, name: entries[0].name, status } };
    }
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
    return loaded;
  }

  /** The check's first problem, or undefined when there is none (or no check, or it failed). */
  private async checkFile(file: string): Promise<string | undefined> {
    if (!this.options.check) return undefined;
    try {
      return await this.options.check(file);
    } catch (error) {
      this.options.log?.(`rule file ${file} not checked: ${messageOf(error)}`);
      return undefined;
    }
  }
}

/** "wake" for "wake.ts": the name a file-level entry shows, as the loader names it. */
function baseName(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}
