/**
 * The typed messages between the add-on's main thread (RuleThings, settings, persistence) and the
 * engine (user rules and their gateway connection), which runs in a worker thread so that a rule
 * that blocks cannot freeze the RuleThings. Every payload is plain, structured-clonable data.
 */
import type { JsonValue } from './gateway';

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

/** Main thread → engine. */
export type ToEngine =
  | { type: 'setEnabled'; ruleId: string; enabled: boolean }
  | { type: 'setSetting'; requestId: number; ruleId: string; name: string; value: JsonValue }
  | { type: 'runRule'; ruleId: string }
  | { type: 'stop' };

/** Engine → main thread. */
export type FromEngine =
  | { type: 'rules'; rules: RuleInfo[] }
  | { type: 'ruleChanged'; rule: RuleInfo }
  | { type: 'ruleRemoved'; ruleId: string }
  | { type: 'fired'; record: FiringRecord }
  | { type: 'reply'; requestId: number; error?: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  /** Sent by the engine thread while its event loop runs; the watchdog restarts it when they stop. */
  | { type: 'heartbeat'; runningRule?: string; runningMethod?: string }
  | { type: 'stopped' };
