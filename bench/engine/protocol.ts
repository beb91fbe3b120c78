/** The IPC messages between the bench (simulator side) and the engine it forks into its own process. */
import type { JsonValue } from '../../src/protocol/gateway';

/** A rule the engine process builds, as plain data (classes cannot cross a process boundary). */
export type RuleSpec =
  /** When `from.property` changes, set `to.property` to the same value (the seed's ExampleIfRule). */
  | { kind: 'mirror'; id: string; from: Member; to: Member }
  /** When `from.property` changes, give every thing of `to` its next value of `values` (RainbowRule). */
  | {
      kind: 'rotate';
      id: string;
      from: Member;
      to: string[];
      property: string;
      values: JsonValue[];
    };

export interface Member {
  thing: string;
  property: string;
}

export interface StartRequest {
  type: 'start';
  gatewayUrl: string;
  token: string;
  rules: RuleSpec[];
  /** Time the engine's share of each mirror reaction (WebSocket message in → PUT out). */
  measureShare: boolean;
}

/** Bench → engine. */
export type ToEngine =
  | StartRequest
  /** Start counting: CPU, peak RSS, actions and engine shares from now on. */
  | { type: 'begin' }
  /** Report what was counted since `begin`. */
  | { type: 'report' }
  | { type: 'stop' };

export interface EngineReport {
  /** Rule actions run since `begin`. */
  actions: number;
  /** Engine share of each measured reaction, in ms. */
  shares: number[];
  /** CPU time (user + system) since `begin`, as percent of one core. */
  cpuPercent: number;
  /** Peak resident set size since `begin` (sampled every 50 ms and at the report), in MB. */
  peakRssMB: number;
  /** Rules whose status is not "ok", with their status. */
  troubled: string[];
}

/** Engine → bench. */
export type FromEngine =
  | { type: 'started'; startupMs: number }
  | { type: 'begun' }
  | { type: 'report'; report: EngineReport }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };
