/** A rule class's statics (`timeout`, `maxRate`, `mode`) checked with a message that shows the allowed form. */
import { parseDuration } from '../clock';
import type { RuleMode } from './concurrency';
import { describeSource } from './describeTrigger';
import type { TriggerSource } from './Rule';

/** The trigger reported when the rule is run by hand (the RuleThing's `run` action). */
export const RUN_BY_HAND = Object.freeze({ describe: () => 'run by hand' });

export function describeOf(source: TriggerSource | typeof RUN_BY_HAND): string {
  return source === RUN_BY_HAND ? 'run by hand' : describeSource(source as TriggerSource);
}

export function checkTimeout(timeout: string | number): number {
  const ms = parseDuration(timeout);
  if (!(ms > 0)) {
    throw new Error(
      `static timeout must be a positive duration such as "30m", not ${JSON.stringify(timeout)}`
    );
  }
  return ms;
}

export function checkMaxRate(maxRate: unknown): number {
  if (typeof maxRate === 'number' && Number.isInteger(maxRate) && maxRate >= 1) return maxRate;
  throw new Error(
    `static maxRate must be a whole number of firings a minute, 1 or more, not ${JSON.stringify(maxRate)}`
  );
}

export function checkMode(mode: unknown): RuleMode {
  if (mode === 'single' || mode === 'restart' || mode === 'queued' || mode === 'parallel')
    return mode;
  throw new Error(
    `static mode must be "single", "restart", "queued" or "parallel", not ${JSON.stringify(mode)}`
  );
}
