/** Moves a numeric property to a target in steps over a duration on the engine's clock (a wake-up light). */
import type { Clock } from '../clock';
import { sleepOn } from './abort';

export interface FadeOptions {
  /** Number of steps; default one per unit of change (whole numbers) or per second, whichever is fewer. */
  steps?: number;
  /** Start value; default the property's current value (0 if unknown). */
  from?: number;
  /** Turn the thing's `on` on first when it is off and the fade goes up (default true). */
  turnOn?: boolean;
}

export interface FadePlan {
  from: number;
  to: number;
  durationMs: number;
  steps: number;
  integer: boolean;
}

/** How many steps a fade takes when not told. */
export function defaultSteps(
  from: number,
  to: number,
  durationMs: number,
  integer: boolean
): number {
  const bySeconds = Math.floor(durationMs / 1000);
  const byChange = integer ? Math.round(Math.abs(to - from)) : 100;
  return Math.max(1, Math.min(bySeconds, byChange));
}

/**
 * Runs the plan: step i (1..steps) sets from + (to − from)·i/steps at start + duration·i/steps,
 * so the target is reached exactly when the duration is over. Rejects with AbortError when a
 * signal aborts; `write` resolves when each step is confirmed.
 */
export async function runFade(
  plan: FadePlan,
  clock: Clock,
  signals: AbortSignal[],
  write: (value: number) => Promise<void> | undefined
): Promise<void> {
  const start = clock.nowMs();
  for (let i = 1; i <= plan.steps; i++) {
    const due = start + (plan.durationMs * i) / plan.steps;
    await sleepOn(clock, due - clock.nowMs(), signals);
    const exact = plan.from + ((plan.to - plan.from) * i) / plan.steps;
    await write(plan.integer ? Math.round(exact) : exact);
  }
}
