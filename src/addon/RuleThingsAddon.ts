/**
 * The composition root of the add-on, in start order: settings, clock, saved state and history,
 * rules folder, the adapter with its RuleThings and Sun, the Rule Things page's API, and the
 * engine worker. It wires engine messages to devices and RuleThing writes to the engine; a
 * problem in one part is reported, not fatal.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { AddonManagerProxy } from 'gateway-addon';
import { Clock, RealClock } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import type { FromEngine, RuleInfo } from '../engine/messages';
import { RuleThingsApi } from './api/RuleThingsApi';
import { EngineHost, EngineHostOptions } from '../host/EngineHost';
import { describeOutOfMemory } from '../host/EngineMemory';
import { HistoryStore } from '../host/HistoryStore';
import { RuleThingsAdapter } from './RuleThingsAdapter';
import { prepareRulesFolder } from './RulesFolder';
import { AddonSettings, parseSettings, readRawSettings, SettingsProblem } from './Settings';
import { StateStore } from '../host/StateStore';
import { solarModel } from './SunModel';
import { ENGINE_HEARTBEAT_MS } from '../host/engineWorkerEntry';

export const ADDON_ID = 'rule-things';
/** The add-on's ready-made rules, in its own folder: an update replaces them, the user's rules folder is never touched. */
export const READY_RULES_FOLDER = 'ready-rules';

export interface RuleThingsAddonOptions {
  manager: AddonManagerProxy;
  /** The package root: where manifest.json, examples/ and lib/ are. */
  packageRoot: string;
  /** The engine worker's entry script (compiled JavaScript). */
  engineScript: string;
  /** Watchdog and timeout settings of the engine host (tests shorten them). */
  engine?: Pick<
    EngineHostOptions,
    | 'heartbeatTimeoutMs'
    | 'startupTimeoutMs'
    | 'stopTimeoutMs'
    | 'replyTimeoutMs'
    | 'execArgv'
    | 'env'
    | 'maxHeapMb'
    | 'warmSpare'
  >;
  /** Makes the clock; tests pass a virtual one. Defaults to the wall clock in the settings' zone. */
  clock?: (zone: string) => Clock;
}

export class RuleThingsAddon {
  private settings?: AddonSettings;
  private store?: StateStore;
  private history?: HistoryStore;
  private adapter?: RuleThingsAdapter;
  private engine?: EngineHost;
  // rule ids whose saved state this engine worker has been told; cleared when a worker restarts
  private readonly reconciled = new Set<string>();

  constructor(private readonly options: RuleThingsAddonOptions) {}

  /** Starts every part that can run; throws only when the add-on cannot work at all. */
  async start(): Promise<void> {
    const { manager } = this.options;
    const dataDir = addonDataDir(manager);
    fs.mkdirSync(dataDir, { recursive: true });

    const { raw, problem: dbProblem } = await readRawSettings(ADDON_ID);
    const { settings, problems } = parseSettings(raw, dataDir);
    this.settings = settings;
    const notes: string[] = dbProblem ? [dbProblem] : [];
    notes.push(...problems.map((p) => p.message));

    const clock = (this.options.clock ?? ((zone) => new RealClock(zone)))(settings.timeZone);
    // Failed writes never reject: they are reported here and retried until the disk takes them.
    const store = new StateStore(path.join(dataDir, 'state.json'), clock, (problem, ruleIds) =>
      this.savingProblem(problem, ruleIds)
    );
    this.store = store;
    const storeProblem = store.load();
    if (storeProblem) notes.push(storeProblem);
    const history = new HistoryStore(
      path.join(dataDir, 'history.json'),
      clock,
      undefined,
      (problem) =>
        problem ? this.report(problem) : this.log('info', 'the rule history is saved again')
    );
    this.history = history;
    const historyProblem = history.load();
    if (historyProblem) notes.push(historyProblem);

    try {
      for (const line of prepareRulesFolder(
        settings.rulesFolder,
        path.join(this.options.packageRoot, 'examples')
      )) {
        this.log('info', line);
      }
    } catch (error) {
      notes.push(
        `rulesFolder ${settings.rulesFolder} could not be created (${(error as Error).message}); set rulesFolder to a folder the gateway may write`
      );
    }

    const adapter = new RuleThingsAdapter(
      manager,
      ADDON_ID,
      clock,
      {
        setEnabled: (ruleId, enabled) => this.setEnabled(ruleId, enabled),
        setSetting: (ruleId, name, value) => this.setSetting(ruleId, name, value),
        run: (ruleId) => this.run(ruleId),
        rejected: (message) => this.report(message),
      },
      () => this.stop()
    );
    this.adapter = adapter;
    manager.addAdapter(adapter);
    manager.addAPIHandler(
      new RuleThingsApi(manager, ADDON_ID, {
        adapter,
        history,
        clock,
        timeZone: settings.timeZone,
        rulesFolder: settings.rulesFolder,
        preview: (fromMs, days) =>
          this.engine?.preview(fromMs, days) ??
          Promise.reject(new Error('the rule engine is not running')),
      })
    );
    adapter.setProblem(gatewayProblem(problems));
    const sunProblem = problems.find((p) => p.affects === 'sun');
    adapter.sun.start(
      settings.place ? solarModel(clock, settings.place) : null,
      sunProblem?.message
    );
    adapter.announceBuiltIns();

    for (const note of notes) this.report(note);
    this.startEngine(clock, store, settings);
  }

  /** Stops the engine (resolves once its thread has ended) and writes what is not yet saved. */
  async stop(): Promise<void> {
    this.adapter?.sun.stop();
    await this.engine?.stop();
    await this.store?.flush();
    await this.history?.flush();
  }

  private startEngine(clock: Clock, store: StateStore, settings: AddonSettings): void {
    const script = this.options.engineScript;
    if (!fs.existsSync(script)) {
      this.report(
        `The rule engine is missing from the add-on (${script}); reinstall Rule Things. The Sun thing still works.`
      );
      return;
    }
    const engine = new EngineHost({
      script,
      clock,
      warmSpare: true,
      ruleCodeLimitMs: settings.ruleCodeLimitSeconds * 1000,
      ...this.options.engine,
      workerData: () => ({
        rulesFolder: settings.rulesFolder,
        readyRulesFolder: path.join(this.options.packageRoot, READY_RULES_FOLDER),
        gatewayUrl: settings.gatewayUrl,
        accessToken: settings.accessToken,
        acceptSelfSigned: settings.acceptSelfSigned,
        timeZone: settings.timeZone,
        place: settings.place,
        loopGuardRate: settings.loopGuardRate,
        saved: store.all(),
        heartbeatMs: ENGINE_HEARTBEAT_MS,
        writeTypes: true,
      }),
    });
    this.engine = engine;
    engine.on('message', (message) => this.onEngine(message));
    engine.on('stalled', ({ ruleId, file, method, silentMs }) => {
      this.reconciled.clear();
      const seconds = Math.round(silentMs / 1000);
      if (file) {
        this.report(
          `Rule file ${file} kept the rule engine busy for ${seconds} s while loading, so the engine was restarted without it; it is set aside until the file changes`
        );
        return;
      }
      if (!ruleId) {
        this.report(`The rule engine stopped answering for ${seconds} s and was restarted`);
        return;
      }
      const thing = this.adapter?.thing(ruleId);
      const title = thing?.getTitle() ?? ruleId;
      const message = `${title} was switched off: it kept the rule engine busy for ${seconds} s${method ? ` in ${method.replace(/^(\w+)/, '$1()')}` : ''}, so the engine was restarted. Fix the rule and switch it on again.`;
      this.switchOff(ruleId, message);
    });
    engine.on('outOfMemory', (event) => {
      this.reconciled.clear();
      const title = (id: string): string => this.adapter?.thing(id)?.getTitle() ?? id;
      const message = describeOutOfMemory(event, title);
      // Switched off before the next engine reads the saved state, so the leak does not start again.
      for (const ruleId of event.culprit?.ruleIds ?? []) {
        void store.setEnabled(ruleId, false);
        this.adapter?.thing(ruleId)?.setNote(message);
      }
      this.report(message);
    });
    engine.on('exited', ({ code, restartInMs }) => {
      this.reconciled.clear();
      this.report(
        `The rule engine stopped unexpectedly (exit code ${code}); restarting it in ${Math.round(restartInMs / 1000)} s`
      );
    });
    engine.start();
  }

  private onEngine(message: FromEngine): void {
    const adapter = this.adapter;
    if (!adapter) return;
    switch (message.type) {
      case 'rules':
        adapter.showRules(message.rules.map((rule) => this.withSaved(rule)));
        for (const rule of message.rules) this.noteStatus(rule);
        return;
      case 'ruleChanged':
        adapter.showRule(this.withSaved(message.rule));
        this.noteStatus(message.rule);
        return;
      case 'ruleRemoved':
        this.reconciled.delete(message.ruleId);
        adapter.dropRule(message.ruleId);
        return;
      case 'fired':
        adapter.fired(message.record);
        this.store?.setLastFired(message.record.ruleId, message.record.at);
        this.history?.fired(
          message.record,
          adapter.thing(message.record.ruleId)?.getTitle() ?? message.record.ruleId
        );
        return;
      case 'occurrence':
        void this.store?.setOccurrence(message.ruleId, message.trigger, message.at);
        return;
      case 'log':
        this.log(message.level, `engine: ${message.message}`);
        return;
      case 'switchedOff': {
        const title = adapter.thing(message.ruleId)?.getTitle() ?? message.ruleId;
        this.switchOff(message.ruleId, `${title} was ${message.reason}`);
        return;
      }
      default:
        return;
    }
  }

  /**
   * The rule as the user left it: saved enabled flag and settings win over the rule file's
   * defaults. The first time a worker reports a rule, it is told what differs.
   */
  private withSaved(rule: RuleInfo): RuleInfo {
    const saved = this.store?.get(rule.id);
    const lastFired = rule.lastFired ?? saved?.lastFired ?? null;
    // After the first report the engine knows the saved state: its word is the truth.
    if (!saved || this.reconciled.has(rule.id)) return { ...rule, lastFired };
    this.reconciled.add(rule.id);
    const enabled = saved.enabled ?? rule.enabled;
    if (enabled !== rule.enabled)
      this.engine?.send({ type: 'setEnabled', ruleId: rule.id, enabled });
    const settings = rule.settings.map((setting) => {
      const value = saved.settings?.[setting.name];
      if (value === undefined || sameJson(value, setting.value)) return setting;
      this.restoreSetting(rule, setting.name, value, setting.value);
      return { ...setting, value };
    });
    return { ...rule, enabled, settings, lastFired };
  }

  /** Tells the engine a saved setting; one it refuses now (the rule changed) is dropped. */
  private restoreSetting(
    rule: RuleInfo,
    name: string,
    value: JsonValue,
    fallback: JsonValue
  ): void {
    this.engine?.setSetting(rule.id, name, value).catch((error: Error) => {
      void this.store?.forgetSetting(rule.id, name);
      const thing = this.adapter?.thing(rule.id);
      thing?.update({
        ...thing.info(),
        settings: thing
          .info()
          .settings.map((s) => (s.name === name ? { ...s, value: fallback } : s)),
      });
      this.report(
        `${rule.title}: the saved ${name} ${JSON.stringify(value)} no longer fits the rule (${error.message}); it is back to ${JSON.stringify(fallback)}`
      );
    });
  }

  /**
   * Saves a rule as switched off (before a restarted engine reads the saved state, so a rule that
   * blocked or kept failing does not run again) and says why on its RuleThing and to the user.
   */
  private switchOff(ruleId: string, message: string): void {
    // A failed write is reported and retried by the store itself.
    void this.store?.setEnabled(ruleId, false);
    this.adapter?.thing(ruleId)?.setNote(message);
    this.report(message);
  }

  private async setEnabled(ruleId: string, enabled: boolean): Promise<void> {
    await this.store?.setEnabled(ruleId, enabled);
    this.engine?.send({ type: 'setEnabled', ruleId, enabled });
  }

  private async setSetting(ruleId: string, name: string, value: JsonValue): Promise<void> {
    // The engine has the last word on a setting (it knows durations, time formats…).
    if (this.engine?.running) await this.engine.setSetting(ruleId, name, value);
    await this.store?.setSetting(ruleId, name, value);
  }

  private async run(ruleId: string): Promise<void> {
    if (!this.engine?.running) throw new Error('the rule engine is not running');
    this.engine.send({ type: 'runRule', ruleId });
  }

  /**
   * The saved state could not be written (or, with null, is written again): said once in the
   * log, the gateway and the history, and in the status of each rule whose change waits.
   */
  private savingProblem(problem: string | null, ruleIds: string[]): void {
    if (problem) this.report(problem);
    else this.log('info', 'the rule states are saved again');
    for (const ruleId of ruleIds) {
      const thing = this.adapter?.thing(ruleId);
      if (problem) thing?.setNote(problem);
      else if (thing?.shownStatus().startsWith('could not save')) thing.setNote(null);
    }
  }

  /** A rule's error status goes into the page's history once, when it appears. */
  private noteStatus(rule: RuleInfo): void {
    this.history?.status(rule.id, rule.title, this.redact(rule.status));
  }

  /** A message for the user: the gateway's log page, this add-on's log and the page's history, never with the token. */
  private report(message: string): void {
    const text = this.redact(message);
    this.log('warn', text);
    this.history?.error(null, 'Rule Things', text);
    this.options.manager.sendError(`Rule Things: ${text}`);
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    const text = this.redact(message);
    if (level === 'debug') return;
    // The gateway starts each line of an add-on's output with the add-on's id itself.
    console[level](text);
  }

  private redact(text: string): string {
    const token = this.settings?.accessToken;
    return token ? text.split(token).join('[access token]') : text;
  }
}

/** The reason every RuleThing shows while the engine cannot reach the gateway, or null. */
function gatewayProblem(problems: SettingsProblem[]): string | null {
  return problems.find((p) => p.affects === 'gateway')?.message ?? null;
}

/** `<dataDir>/rule-things` as the gateway creates it; from the user profile, else WEBTHINGS_HOME. */
export function addonDataDir(manager: AddonManagerProxy): string {
  const profileDir = manager.getUserProfile()?.dataDir;
  if (profileDir) return path.join(profileDir, ADDON_ID);
  const home = process.env.WEBTHINGS_HOME ?? path.join(os.homedir(), '.webthings');
  return path.join(home, 'data', ADDON_ID);
}

function sameJson(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
