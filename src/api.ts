/** The public API for rule authors: `import { Rule, WhileRule, HeartBeat, AbsoluteTimeTrigger } from 'rule-things'`. */
export * from './clock';
export * from './triggers';
export { Rule } from './engine/Rule';
export type {
  KnownThingKeys,
  KnownThings,
  RuleHooks,
  RuleLog,
  RuleStatics,
  Things,
  TriggerSource,
} from './engine/Rule';
export { WhileRule } from './engine/WhileRule';
export { Setting } from './engine/Setting';
export { ThingSetting } from './engine/ThingSetting';
export type { ThingFilter, ThingSettingOptions } from './engine/ThingSetting';
export type { SettingOptions, SettingValue } from './engine/settingForm';
export type { ThingProxy, ThingMembers } from './engine/ThingProxy';
export { PropertyTrigger, EventTrigger, ThingChangeTrigger } from './engine/ThingTriggers';
export type { FadeOptions } from './engine/fade';
export type { RuleMode } from './engine/concurrency';
export { AbortedError, isAbort } from './engine/abort';
export type { JsonValue, ThingDescription } from './protocol/gateway';
export { RuleSystem } from './engine/RuleSystem';
export type { RuleSystemOptions, AddRuleOptions } from './engine/RuleSystem';
export type { RuleInfo, SettingInfo, FiringRecord } from './engine/messages';
