/**
 * The shape of bench/results.json (documented in README "Performance") and the judging of each
 * figure against its target. Not named results.ts: node would resolve './results' to the JSON.
 */
import { median, percentile, round } from './stats';

/**
 * A figure's target. Timings are judged on the median run (one noisy run on a shared 2-core
 * machine says little); correctness counts such as lost actions on the worst run, since one
 * lost action in any run is a failure.
 */
export interface Target {
  op: '<=' | '>=';
  value: number;
  judgedOn: 'median' | 'worst';
}

/** What a scenario declares about one of its figures. */
export interface Metric {
  /** "reaction.e2e.p99": scenario, then figure. */
  name: string;
  unit: 'ms' | 's' | 'MB' | '%' | 'count' | 'changes/s';
  description: string;
  target?: Target;
}

/** One row of results.json: a figure over all runs of its scenario. */
export interface ResultRow {
  name: string;
  scenario: string;
  unit: Metric['unit'];
  description: string;
  /** Median of the per-run figures. */
  median: number;
  /** 99th percentile (nearest rank) of the per-run figures: with few runs, the worst run. */
  p99: number;
  /** The figure of each run, in run order. */
  runs: number[];
  target: Target | null;
  /** null when the figure has no target (reported for information). */
  met: boolean | null;
  cores: number;
  node: string;
}

export interface ResultsFile {
  /** ISO time the run finished. */
  generatedAt: string;
  mode: 'full' | 'quick';
  cores: number;
  node: string;
  cpuModel: string;
  platform: string;
  /** 1-minute load average when the bench started: other work on the machine skews timings. */
  loadAverage: number;
  /** 1-minute load average when it ended (the bench itself adds about 1 to it). */
  loadAverageEnd: number;
  /** Total wall time of the bench, in seconds. */
  durationSeconds: number;
  /**
   * Later runs of single scenarios (`--only`, the real-gateway suite) whose rows replaced those of
   * the same name; the fields above describe the run that wrote the file first.
   */
  updates?: ResultsUpdate[];
  results: ResultRow[];
}

/** When and under what load a later run measured the rows of `scenario`. */
export interface ResultsUpdate {
  scenario: string;
  generatedAt: string;
  loadAverage: number;
  loadAverageEnd: number;
  durationSeconds: number;
}

/** The figure a target is checked against. */
export function judged(row: Pick<ResultRow, 'median' | 'runs'>, target: Target): number {
  if (target.judgedOn === 'median') return row.median;
  return target.op === '<=' ? Math.max(...row.runs) : Math.min(...row.runs);
}

export function meets(value: number, target: Target): boolean {
  if (Number.isNaN(value)) return false;
  return target.op === '<=' ? value <= target.value : value >= target.value;
}

/** Builds a row from a metric and its per-run figures (a run that could not measure gives NaN). */
export function resultRow(
  metric: Metric,
  runs: number[],
  machine: { cores: number; node: string }
): ResultRow {
  const clean = runs.map(round);
  const row = {
    name: metric.name,
    scenario: metric.name.split('.')[0],
    unit: metric.unit,
    description: metric.description,
    median: round(median(clean)),
    p99: round(percentile(clean, 99)),
    runs: clean,
    target: metric.target ?? null,
    met: null as boolean | null,
    cores: machine.cores,
    node: machine.node,
  };
  // NaN (a run that failed to measure) never meets a target.
  if (metric.target) {
    row.met = clean.some(Number.isNaN) ? false : meets(judged(row, metric.target), metric.target);
  }
  return row;
}

/** `results` with `rows` replacing the rows of the same name, and `update` noted. */
export function withUpdate(
  results: ResultsFile,
  rows: ResultRow[],
  update: ResultsUpdate
): ResultsFile {
  const names = new Set(rows.map((row) => row.name));
  const kept = results.results.filter((row) => !names.has(row.name));
  const updates = (results.updates ?? []).filter((u) => u.scenario !== update.scenario);
  return { ...results, updates: [...updates, update], results: [...kept, ...rows] };
}
