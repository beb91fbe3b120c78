/**
 * The typed messages between the add-on's main thread (RuleThings, settings, persistence) and the
 * engine (user rules and their gateway connection), which runs in a worker thread so that a rule
 * that blocks cannot freeze the RuleThings. Every payload is plain, structured-clonable data.
 */
import type { JsonValue } from '../protocol/gateway';
import type { Recorded } from './WhilePhase';

/** A rule parameter that becomes a writable RuleThing property. */
export interface SettingInfo {
  name: string;
  title: string;
  type: 'string' | 'number' | 'integer' | 'boolean';
  value: JsonValue;
  default: JsonValue;
  description?: string;
  unit?: string;
  minimum?: number;
  maximum?: number;
  enum?: JsonValue[];
  /** A JSON-schema pattern for strings ("^([01]\\d|2[0-3]):[0-5]\\d$" for "HH:MM"). */
  pattern?: string;
  /** Set for a setting that picks a thing (`this.thingSetting`): its value is the thing's id. */
  thing?: ThingSettingInfo;
}

/** A thing a thing setting may pick. */
export interface ThingChoice {
  id: string;
  title: string;
}

/** What a setting that picks a thing offers, and what is chosen. */
export interface ThingSettingInfo {
  /** The things it offers: those with this `@type`, property and/or event (name or `@type`). */
  filter: { capability?: string; property?: string; event?: string };
  /** Every matching thing now, sorted by title. */
  choices: ThingChoice[];
  /** The chosen thing with its last known title (also once it left the gateway). */
  chosen?: ThingChoice;
}

/** One rule as the add-on shows it. */
export interface RuleInfo {
  /** Stable across restarts and edits: derived from the rule's file and class name. */
  id: string;
  /** The rule's class name ("MorningWakeRule"). */
  name: string;
  /** Human title ("Morning Wake"). */
  title: string;
  /** The file it came from, relative to the rules folder. */
  file: string;
  /** The rule in plain English. */
  description: string;
  kind: 'if' | 'while';
  settings: SettingInfo[];
  enabled: boolean;
  /** A While rule's condition holds, or an async action runs. */
  active: boolean;
  /** ISO time of the last action, or null. */
  lastFired: string | null;
  /** ISO time of the next time-triggered run, if known. */
  nextFire: string | null;
  /** "ok", or the rule's last error. */
  status: string;
}

/** One firing, for the `fired` event and the history. */
export interface FiringRecord {
  ruleId: string;
  at: string;
  trigger: string;
  property: string;
  value: JsonValue | undefined;
  /** What the action changed: "Porch Light on false → true". */
  changes: string[];
}

/** One line of the week-ahead preview: a time-triggered rule firing, or a sunrise or sunset. */
export interface PreviewOccurrence {
  /** ISO 8601 in the engine's time zone, with its offset ("2027-06-14T06:10:00.000+02:00"). */
  at: string;
  kind: 'rule' | 'sun';
  /** The rule that fires; absent for sun lines. */
  ruleId?: string;
  /** The rule's title, or the sun event ("sunset"). */
  title: string;
  /** The trigger in English ("at 06:10 on weekdays"); for sun lines the event. */
  trigger: string;
  /** The trigger fires too often to list (a HeartBeat): `at` is its first firing, `trigger` says how often. */
  repeating?: boolean;
}

/** Main thread → engine. */
export type ToEngine =
  | { type: 'setEnabled'; ruleId: string; enabled: boolean }
  /** Asks for the week-ahead preview: every firing of time-triggered rules in [fromMs, fromMs + days). */
  | { type: 'preview'; requestId: number; fromMs: number; days: number }
  | { type: 'setSetting'; requestId: number; ruleId: string; name: string; value: JsonValue }
  | { type: 'runRule'; ruleId: string }
  | { type: 'stop' };

/**
 * A spare engine thread is started with this as its workerData: it loads the engine's code and
 * waits for `BeginEngine`, so that a restart after a fault need not load that code again.
 */
export const STANDBY = { standby: true } as const;

/** Main thread → spare engine thread: become the engine, with this data. */
export interface BeginEngine {
  type: 'begin';
  data: EngineWorkerData;
}

/** Engine → main thread. */
export type FromEngine =
  | { type: 'rules'; rules: RuleInfo[] }
  | { type: 'ruleChanged'; rule: RuleInfo }
  | { type: 'ruleRemoved'; ruleId: string }
  | { type: 'fired'; record: FiringRecord }
  /** An alarm (time of day, solar event) fired for the occurrence due `at`; saved so it never fires twice. */
  | { type: 'occurrence'; ruleId: string; trigger: string; at: string }
  | { type: 'reply'; requestId: number; error?: string }
  /** The answer to `preview`, in time order; `error` instead when it could not be computed. */
  | { type: 'preview'; requestId: number; occurrences: PreviewOccurrence[]; error?: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  /** The engine switched a rule off because it kept failing; the host saves it so. */
  | { type: 'switchedOff'; ruleId: string; reason: string }
  /** What a While rule will put back when its condition ends (empty: nothing); kept for a restarted engine. */
  | { type: 'restoreList'; ruleId: string; restore: Recorded[] }
  /** A rule file threw or exited while loading: a restarted engine must not run it again unchanged. */
  | { type: 'setAside'; file: string; setAside: SetAsideFile }
  /** Sent by the engine thread while its event loop runs; the watchdog restarts it when they stop. */
  | { type: 'heartbeat'; runningRule?: string; runningMethod?: string }
  /** The engine thread's memory, sent with each heartbeat (with its holders once it runs high). */
  | ({ type: 'memory' } & EngineMemoryReport)
  | { type: 'stopped' };

/** The engine thread's memory footprint and, when it runs high, which rule files hold it. */
export interface EngineMemoryReport {
  /** JavaScript heap in use plus memory outside it (Buffers, array buffers), in MB. */
  usedMb: number;
  /** Largest first; sent only from the host's `memoryWatchMb` on. */
  holders?: { file: string; ruleIds: string[]; mb: number }[];
}

/** What the add-on saved for one rule: applied before it starts, so a disabled rule never runs. */
export interface SavedRuleState {
  enabled?: boolean;
  settings?: Record<string, JsonValue>;
  lastFired?: string;
  /** trigger (as described: "at 06:30 every day") -> ISO instant of its last occurrence that fired */
  occurrences?: Record<string, string>;
  /** What a While rule had to put back when the engine ended in its active phase. */
  restore?: Recorded[];
}

/** A rule file that threw, exited or blocked while loading, kept from loading until it changes. */
export interface SetAsideFile {
  /** fileFingerprint() of the content that failed. */
  fingerprint: string;
  /** The status its RuleThing shows. */
  reason: string;
}

/** What the engine thread gets as `workerData` when it starts. */
export interface EngineWorkerData {
  rulesFolder: string;
  /** The add-on's own ready-made rules (loaded beside the user's, ids prefixed "ready-"; not watched). */
  readyRulesFolder?: string;
  gatewayUrl: string;
  /** null: no usable token; the engine loads and reports its rules but does not connect. */
  accessToken: string | null;
  acceptSelfSigned: boolean;
  timeZone: string;
  /** Where solar events are computed; null until latitude and longitude are set. */
  place: { latitude: number; longitude: number } | null;
  /** Most firings per minute before the loop guard pauses a rule. */
  loopGuardRate: number;
  /** rule id -> what was saved for it */
  saved: Record<string, SavedRuleState>;
  /** How often the worker sends `heartbeat` while its event loop runs. */
  heartbeatMs: number;
  /** Keep things.d.ts and tsconfig.json current in the rules folder, for editors (not for examples/). */
  writeTypes?: boolean;
  /** From this footprint (MB) on, the engine samples which rule files hold its memory and says so. */
  memoryWatchMb?: number;
  /**
   * The engine's memory limit (MB): a rule file found holding a fifth of it (RULE_MEMORY_SHARE) is
   * switched off by the engine itself, before the engine reaches the limit and must be ended.
   */
  memoryLimitMb?: number;
  /** Shared memory the engine writes which rule code it runs into (see RunningRuleProbe). */
  probe?: SharedArrayBuffer;
  /** rule file -> why it is set aside (see SetAsideFile); kept by the host across restarts. */
  setAside?: Record<string, SetAsideFile>;
}
