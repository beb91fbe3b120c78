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
import type { JsonValue } from '../engine/gateway';
import type { FromEngine, RuleInfo } from '../engine/messages';
import { RuleThingsApi } from './api/RuleThingsApi';
import { EngineHost, EngineHostOptions } from './EngineHost';
import { HistoryStore } from './HistoryStore';
import { RuleThingsAdapter } from './RuleThingsAdapter';
import { prepareRulesFolder } from './RulesFolder';
import { AddonSettings, parseSettings, readRawSettings, SettingsProblem } from './Settings';
import { StateStore } from './StateStore';
import { solarModel } from './SunModel';
import { ENGINE_HEARTBEAT_MS } from '../engineWorkerEntry';

export const ADDON_ID = 'rule-things';

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
    const store = new StateStore(path.join(dataDir, 'state.json'), clock);
    this.store = store;
    const storeProblem = store.load();
    if (storeProblem) notes.push(storeProblem);
    const history = new HistoryStore(path.join(dataDir, 'history.json'), clock);
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
      ...this.options.engine,
      workerData: () => ({
        rulesFolder: settings.rulesFolder,
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
    engine.on('stalled', ({ ruleId, method, silentMs }) => {
      this.reconciled.clear();
      const seconds = Math.round(silentMs / 1000);
      if (!ruleId) {
        this.report(`The rule engine stopped answering for ${seconds} s and was restarted`);
        return;
      }
      // Disable before the new worker reads the saved state, so the blocking rule does not run again.
      void store.setEnabled(ruleId, false);
      const thing = this.adapter?.thing(ruleId);
      const title = thing?.getTitle() ?? ruleId;
      const message = `${title} was switched off: it kept the rule engine busy for ${seconds} s${method ? ` in ${method}()` : ''}, so the engine was restarted. Fix the rule and switch it on again.`;
      thing?.setNote(message);
      this.report(message);
    });
    engine.on('outOfMemory', ({ limitMb, ruleId }) => {
      const last = ruleId ? (this.adapter?.thing(ruleId)?.getTitle() ?? ruleId) : undefined;
      this.report(
        `The rule engine used more than its ${limitMb} MB memory limit and was stopped: a rule keeps too much data${last ? ` (the last rule running was ${last})` : ''}. It restarts by itself.`
      );
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
        this.store
          ?.setOccurrence(message.ruleId, message.trigger, message.at)
          .catch((error: Error) =>
            this.report(`could not save when "${message.trigger}" last ran: ${error.message}`)
          );
        return;
      case 'log':
        this.log(message.level, `engine: ${message.message}`);
        return;
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
