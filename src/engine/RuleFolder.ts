/**
 * Keeps a RuleSystem in step with a folder of rule files: loads them all, and when one changes,
 * is added or removed, replaces just that file's rules, keeping their on/off state and settings.
 */
import fs from 'fs';
import path from 'path';
import type { Cancel, Clock } from '../clock';
import type { JsonValue } from './gateway';
import { isRuleFile, listRuleFiles, LoadedFile, loadRuleFile } from './loadRules';
import type { RuleSystem } from './RuleSystem';
import { watchFolder } from './watchFolder';

export interface RuleFolderOptions {
  /** Saved state per rule id, applied when a rule is first added (the add-on's persistence). */
  saved?: Record<string, { enabled?: boolean; settings?: Record<string, JsonValue> }>;
  /** Told of each file (re)loaded. */
  log?: (message: string) => void;
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
  async reload(file: string): Promise<LoadedFile | undefined> {
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
    if (!fs.existsSync(path.join(this.folder, file))) {
      if (previous.length > 0) this.options.log?.(`rule file ${file} removed`);
      return undefined;
    }
    const loaded = loadRuleFile(this.folder, file);
    const ids: string[] = [];
    if (loaded.failure) {
      ids.push(this.system.addLoadFailure({ ...loaded.failure, file }));
    }
    for (const rule of loaded.rules) {
      const before = this.remembered.get(rule.id);
      const saved = this.options.saved?.[rule.id];
      const settings = before ? before.settings : saved?.settings;
      try {
        ids.push(
          this.system.addRule(rule.ruleClass, {
            id: rule.id,
            file,
            enabled: before ? before.enabled : saved?.enabled,
            settings,
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
}
