/** What the rule system knows of a rule before it runs it: from its file, and from what was saved. */
import type { JsonValue } from '../protocol/gateway';
import type { Rule } from './Rule';
import type { Recorded } from './WhilePhase';

export type RuleSource = (new () => Rule) | Rule;

export interface RuleEntry {
  id: string;
  file: string;
  /** The class or instance; absent for a file that failed to load. */
  source?: RuleSource;
  /** Class name for a failed file (its base name). */
  name?: string;
  /** Set for a file that failed to load: the status it shows, forever. */
  loadError?: string;
  enabled?: boolean;
  settings?: Record<string, JsonValue>;
  /** Saved last fired occurrence per alarm trigger. */
  occurrences?: Record<string, string>;
  /** What a While rule had to put back when the previous engine ended (see WhilePhase.resume). */
  restore?: Recorded[];
}
