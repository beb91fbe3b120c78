/** Sun geometry for solar events: elevation from suncalc, and root/extremum finding over a local day. */
import * as SunCalc from 'suncalc';
import type { Place } from './Trigger';

const RAD = Math.PI / 180;

/** suncalc's refraction model (Bennett, held constant below the horizon), in radians. */
function refraction(h: number): number {
  const clamped = Math.max(h, 0);
  return 2967e-7 / Math.tan(clamped + 0.00312536 / (clamped + 0.08901179));
}

/**
 * Geometric elevation from suncalc's apparent one. Event thresholds (−0.833° for sunrise,
 * −6° for civil dawn…) are defined on the geometric elevation of the sun's centre, as NOAA and
 * suncalc's own getTimes use them, so the refraction suncalc adds is taken out again.
 */
function unrefract(apparentDeg: number): number {
  const apparent = apparentDeg * RAD;
  let h = apparent;
  // h + R(h) = apparent has |R'| < 0.2, so fixed-point iteration converges fast.
  for (let i = 0; i < 8; i++) h = apparent - refraction(h);
  return h / RAD;
}

export interface SunPosition {
  /** Geometric elevation of the sun's centre, degrees; what event thresholds are defined on. */
  elevation: number;
  /** Elevation as seen through the atmosphere (refraction included), degrees. */
  apparentElevation: number;
  /** Degrees clockwise from north (90 = east, 180 = south, 270 = west). */
  azimuth: number;
}

/** The sun's position at an instant (epoch ms) seen from `place`. */
export function sunPosition(ms: number, place: Place): SunPosition {
  const { altitude, azimuth } = SunCalc.getPosition(new Date(ms), place.latitude, place.longitude);
  return { elevation: unrefract(altitude), apparentElevation: altitude, azimuth };
}

/** Geometric elevation in degrees at an instant (epoch ms). */
export function sunElevation(ms: number, place: Place): number {
  return sunPosition(ms, place).elevation;
}

export type Direction = 'rising' | 'setting';

export interface Crossing {
  ms: number;
  direction: Direction;
}

// Ten-minute samples: the sun moves at most ~2.5° in that time, and dips shorter than a sample
// are still caught by refining each sampled extremum.
const STEP_MS = 10 * 60_000;
// Bisection stops below a second; results are rounded up to whole seconds.
const TOLERANCE_MS = 500;

/** First instant of [lo, hi] where f turns to the "after" side, found by bisection; f(lo) and f(hi) differ in sign. */
function bisect(f: (ms: number) => number, lo: number, hi: number): number {
  const before = f(lo) > 0;
  while (hi - lo > TOLERANCE_MS) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0 === before) lo = mid;
    else hi = mid;
  }
  // Rounding up keeps the result on the far side: at "sunrise" the sun is up.
  return Math.ceil(hi / 1000) * 1000;
}

/** The extremum of f in [lo, hi] by golden-section search; `sign` 1 for a maximum, −1 for a minimum. */
function golden(f: (ms: number) => number, lo: number, hi: number, sign: 1 | -1): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = sign * f(c);
  let fd = sign * f(d);
  while (b - a > TOLERANCE_MS) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = sign * f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = sign * f(d);
    }
  }
  return Math.round((a + b) / 2 / 1000) * 1000;
}

interface Sample {
  ms: number;
  value: number;
}

function sample(f: (ms: number) => number, start: number, end: number): Sample[] {
  // One sample either side of the window, so crossings and extrema at its edges are seen.
  const samples: Sample[] = [];
  for (let ms = start - STEP_MS; ms < end + STEP_MS; ms += STEP_MS) {
    samples.push({ ms, value: f(ms) });
  }
  samples.push({ ms: end + STEP_MS, value: f(end + STEP_MS) });
  return samples;
}

/** Local maxima (`sign` 1) or minima (−1) of f in [start, end), refined to about a second. */
export function extrema(
  f: (ms: number) => number,
  start: number,
  end: number,
  sign: 1 | -1
): number[] {
  const samples = sample(f, start, end);
  const found: number[] = [];
  for (let i = 1; i < samples.length - 1; i++) {
    const [a, b, c] = [samples[i - 1], samples[i], samples[i + 1]];
    if (sign * b.value >= sign * a.value && sign * b.value > sign * c.value) {
      const ms = golden(f, a.ms, c.ms, sign);
      if (ms >= start && ms < end) found.push(ms);
    }
  }
  return found;
}

/** Where `elevation(ms) − degrees` changes sign in [start, end), in time order. */
export function crossings(place: Place, degrees: number, start: number, end: number): Crossing[] {
  const f = (ms: number): number => sunElevation(ms, place) - degrees;
  const samples = sample(f, start, end);
  const found: Crossing[] = [];
  const add = (lo: number, hi: number): void => {
    const ms = bisect(f, lo, hi);
    if (ms >= start && ms < end) found.push({ ms, direction: f(lo) > 0 ? 'setting' : 'rising' });
  };
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1], samples[i]];
    if (a.value > 0 !== b.value > 0) {
      add(a.ms, b.ms);
    } else if (i + 1 < samples.length) {
      // Same side at both samples: a brief dip or peak through the threshold hides between
      // them only around an extremum, so refine the sampled extremum and look again.
      const c = samples[i + 1];
      const peak = b.value >= a.value && b.value > c.value && b.value <= 0;
      const trough = b.value <= a.value && b.value < c.value && b.value > 0;
      if (peak || trough) {
        const top = golden(f, a.ms, c.ms, peak ? 1 : -1);
        if (f(top) > 0 !== b.value > 0) {
          add(a.ms, top);
          add(top, c.ms);
        }
      }
    }
  }
  return found.sort((x, y) => x.ms - y.ms);
}
