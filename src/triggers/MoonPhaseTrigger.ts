/** MoonPhaseTrigger: fires when the moon reaches a phase (new, first quarter, full, last quarter), optionally offset. */
import type { DateTime } from 'luxon';
import * as SunCalc from 'suncalc';
import { parseDuration } from '../clock';
import { describeWithOffset } from './solarEvents';
import { TimeTrigger } from './TimeTrigger';

export type MoonPhase = 'new' | 'firstQuarter' | 'full' | 'lastQuarter';

/** phase name -> suncalc's phase fraction (0 new … 0.5 full … 1 new again) and its English */
export const MOON_PHASES: Readonly<Record<MoonPhase, { fraction: number; phrase: string }>> = {
  new: { fraction: 0, phrase: 'new moon' },
  firstQuarter: { fraction: 0.25, phrase: 'first quarter moon' },
  full: { fraction: 0.5, phrase: 'full moon' },
  lastQuarter: { fraction: 0.75, phrase: 'last quarter moon' },
};

// A quarter of the 29.5-day cycle takes ~7.4 days; six-hour samples never step over a crossing.
const STEP_MS = 6 * 3_600_000;
const SEARCH_MS = 40 * 86_400_000;

/** How far past `target` the moon's phase is at `ms`, in (−0.5, 0.5]: negative before, positive after. */
function phaseDistance(ms: number, target: number): number {
  const d = SunCalc.getMoonIllumination(new Date(ms)).phase - target;
  return d - Math.round(d);
}

/**
 * The first instant after `afterMs` at which the moon's phase passes `target`, to about a second.
 *
 * @example nextMoonPhase(Date.UTC(2024, 3, 1), 0.5) // ≈ 2024-04-23T23:49Z
 */
export function nextMoonPhase(afterMs: number, target: number): number | null {
  let lo = afterMs;
  let dLo = phaseDistance(lo, target);
  for (let hi = lo + STEP_MS; hi <= afterMs + SEARCH_MS; lo = hi, hi += STEP_MS) {
    const dHi = phaseDistance(hi, target);
    // A real crossing goes from just before to just after; the jump at ±0.5 is the opposite phase.
    if (dLo < 0 && dHi >= 0 && dHi - dLo < 0.25) {
      let a = lo;
      let b = hi;
      while (b - a > 500) {
        const mid = (a + b) / 2;
        if (phaseDistance(mid, target) < 0) a = mid;
        else b = mid;
      }
      return Math.ceil(b / 1000) * 1000;
    }
    dLo = dHi;
  }
  return null;
}

export interface MoonPhaseOptions {
  /** Shift from the phase: "-1d", "12h". */
  offset?: string | number;
}

export class MoonPhaseTrigger extends TimeTrigger {
  override readonly isAlarm = true;
  readonly offsetMs: number;

  /**
   * @example new MoonPhaseTrigger('full') // "at full moon"
   */
  constructor(
    readonly phase: MoonPhase,
    options: MoonPhaseOptions = {}
  ) {
    super();
    if (!Object.prototype.hasOwnProperty.call(MOON_PHASES, phase)) {
      throw new Error(
        `Unknown moon phase: ${JSON.stringify(String(phase).slice(0, 40))} (use one of ${Object.keys(MOON_PHASES).join(', ')})`
      );
    }
    this.offsetMs = options.offset === undefined ? 0 : parseDuration(options.offset);
  }

  describe(): string {
    const phrase = describeWithOffset(MOON_PHASES[this.phase].phrase, this.offsetMs);
    return this.offsetMs === 0 ? `at ${phrase}` : phrase;
  }

  next(after: DateTime): DateTime | null {
    const from = after.toMillis() - this.offsetMs;
    const target = MOON_PHASES[this.phase].fraction;
    // The phase at `from` itself may be the one just passed; step past it and search again.
    let ms = nextMoonPhase(from, target);
    while (ms !== null && ms + this.offsetMs <= after.toMillis()) ms = nextMoonPhase(ms, target);
    return ms === null ? null : after.plus({ milliseconds: ms + this.offsetMs - after.toMillis() });
  }
}
