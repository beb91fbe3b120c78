/** The services every rule's runtime shares, built once by the RuleSystem (its composition root). */
import type { Clock } from '../clock';
import type { Sun } from '../triggers/Sun';
import type { Place } from '../triggers/Trigger';
import type { GatewayConnection } from '../protocol/gateway';
import type { Cause, LoopGuardOptions } from './LoopGuard';
import type { GatewayStatus } from './GatewayStatus';
import type { FiringRecord, RuleInfo } from './messages';
import type { OwnedSubscriptions } from './OwnedSubscriptions';
import type { PropertyWriter } from './PropertyWriter';
import type { ThingEventHub } from './ThingEventHub';
import type { ThingStore } from './ThingStore';
import type { TypedEmitter } from './TypedEmitter';
import type { Recorded } from './WhilePhase';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What a RuleSystem tells its host; each maps 1:1 to a FromEngine message. */
export interface RuleSystemEvents {
  ruleChanged: RuleInfo;
  ruleRemoved: { ruleId: string };
  fired: FiringRecord;
  /** An alarm fired for one occurrence; the host saves it, so a restart does not fire it again. */
  occurrence: { ruleId: string; trigger: string; at: string };
  log: { level: LogLevel; message: string };
  /** What a While rule will put back changed (empty: nothing); the host saves it for a restarted engine. */
  restoreList: { ruleId: string; restore: Recorded[] };
  /** The engine switched a rule off (it kept failing); the host saves it so. */
  switchedOff: { ruleId: string; reason: string };
}

export interface EngineCore {
  gateway: GatewayConnection;
  clock: Clock;
  place: Place;
  sun: Sun;
  store: ThingStore;
  hub: ThingEventHub;
  writer: PropertyWriter;
  loopGuard: Required<LoopGuardOptions>;
  /** Every listener a rule registers, keyed by the rule's runtime. */
  subscriptions: OwnedSubscriptions;
  events: TypedEmitter<RuleSystemEvents>;
  /** Whether the gateway is reachable, and what every rule's status says while it is not. */
  link: GatewayStatus;
  /** How late an alarm due during an outage (or an add-on restart) may still run. */
  missedAlarmGraceMs: number;
  /** How long an async action may run before it is abandoned (a rule's `static timeout` wins). */
  actionTimeoutMs: number;
  log(level: LogLevel, message: string): void;
  /** A causal chain grew too long: pause the rules of the loop. */
  loopDetected(cause: Cause): void;
}
