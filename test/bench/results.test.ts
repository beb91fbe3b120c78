/** bench/results.json, as committed from a full run, has the shape README "Performance" documents (not the numbers). */
import { readFileSync } from 'fs';
import path from 'path';
import { resultRow } from '../../bench/resultShape';
import type { ResultRow, ResultsFile } from '../../bench/resultShape';
import { median, percentile } from '../../bench/stats';

const file = path.join(__dirname, '../../bench/results.json');
const results = JSON.parse(readFileSync(file, 'utf8')) as ResultsFile;

const SCENARIOS = ['reaction', 'fanout', 'scale', 'timers', 'coalescing', 'isolation'];
// Measured only where the real gateway can run (`--gateway`, and the suite's scenario 8).
const OPTIONAL = ['gateway'];
const UNITS = ['ms', 's', 'MB', '%', 'count', 'changes/s'];
// Isolation runs each careless rule once for a minute; the speed scenarios run 3 to 5 times.
const minRuns = (row: ResultRow) => (row.scenario === 'isolation' ? 1 : 3);

/** JSON writes NaN (a run that failed to measure) as null. */
const isFigure = (value: unknown) => typeof value === 'number' || value === null;

test('the file says when, how and on what machine it was measured', () => {
  expect(typeof results.generatedAt).toBe('string');
  expect(Number.isNaN(Date.parse(results.generatedAt))).toBe(false);
  expect(results.mode).toBe('full');
  expect(Number.isInteger(results.cores) && results.cores > 0).toBe(true);
  expect(results.node).toMatch(/^v\d+\.\d+\.\d+$/);
  expect(typeof results.cpuModel).toBe('string');
  expect(typeof results.platform).toBe('string');
  expect(typeof results.loadAverage).toBe('number');
  expect(typeof results.loadAverageEnd).toBe('number');
  expect(typeof results.durationSeconds).toBe('number');
});

test('every scenario has figures, each name unique and prefixed by its scenario', () => {
  const names = results.results.map((row) => row.name);
  expect(new Set(names).size).toBe(names.length);
  const scenarios = [...new Set(results.results.map((row) => row.scenario))];
  expect(scenarios.filter((s) => !OPTIONAL.includes(s)).sort()).toEqual([...SCENARIOS].sort());
  expect(scenarios.filter((s) => !SCENARIOS.includes(s)).every((s) => OPTIONAL.includes(s))).toBe(
    true
  );
  for (const row of results.results) expect(row.name.startsWith(`${row.scenario}.`)).toBe(true);
});

test('every row has its unit, median, p99, runs, machine and target', () => {
  for (const row of results.results) {
    expect(Object.keys(row).sort()).toEqual(
      [
        'cores',
        'description',
        'median',
        'met',
        'name',
        'node',
        'p99',
        'runs',
        'scenario',
        'target',
        'unit',
      ].sort()
    );
    expect(UNITS).toContain(row.unit);
    expect(typeof row.description).toBe('string');
    expect(isFigure(row.median) && isFigure(row.p99)).toBe(true);
    expect(row.runs.length).toBeGreaterThanOrEqual(minRuns(row));
    expect(row.runs.every(isFigure)).toBe(true);
    expect(row.cores).toBe(results.cores);
    expect(row.node).toBe(results.node);
    if (row.target === null) {
      expect(row.met).toBeNull();
    } else {
      expect(['<=', '>=']).toContain(row.target.op);
      expect(typeof row.target.value).toBe('number');
      expect(['median', 'worst']).toContain(row.target.judgedOn);
      expect(typeof row.met).toBe('boolean');
    }
  }
});

test('each issue target is in the file', () => {
  const target = (name: string) => results.results.find((row) => row.name === name)?.target;
  expect(target('reaction.engine.p99')).toMatchObject({ op: '<=', value: 1 });
  expect(target('reaction.e2e.p99')).toMatchObject({ op: '<=', value: 5 });
  expect(target('fanout.6.p99')).toMatchObject({ op: '<=', value: 20 });
  expect(target('fanout.50.p99')).toMatchObject({ op: '<=', value: 100 });
  expect(target('scale.startup')).toMatchObject({ op: '<=', value: 2000 });
  expect(target('scale.lost')).toMatchObject({ op: '<=', value: 0 });
  expect(target('scale.rss')).toMatchObject({ op: '<=', value: 150 });
  expect(target('timers.late.p99')).toMatchObject({ op: '<=', value: 10 });
  expect(target('coalescing.lastMissing')).toMatchObject({ op: '<=', value: 0 });
  for (const kind of ['unawaited-set', 'timer-throw', 'loop-top', 'loop-timer', 'buffers']) {
    expect(target(`isolation.${kind}.healthy`)).toMatchObject({ op: '>=', value: 95 });
    expect(target(`isolation.${kind}.writeWait`)).toMatchObject({ op: '<=', value: 1000 });
  }
  if (results.results.some((row) => row.name === 'gateway.code.p50')) {
    expect(target('gateway.code.p50_over_gui')).toMatchObject({ op: '<=', value: 1 });
    expect(target('gateway.code.p99_over_gui')).toMatchObject({ op: '<=', value: 0 });
  }
});

describe('a row', () => {
  const machine = { cores: 2, node: 'v20.0.0' };
  const metric = {
    name: 'x.latency',
    unit: 'ms' as const,
    description: '',
    target: { op: '<=' as const, value: 5, judgedOn: 'median' as const },
  };

  test('is judged on the median run for timings', () => {
    const row: ResultRow = resultRow(metric, [1, 2, 90], machine);
    expect(row).toMatchObject({ median: 2, p99: 90, met: true, scenario: 'x' });
  });

  test('is judged on the worst run for counts of lost things', () => {
    const worst = { ...metric, target: { ...metric.target, value: 0, judgedOn: 'worst' as const } };
    expect(resultRow(worst, [0, 0, 1], machine).met).toBe(false);
  });

  test('misses its target when a run failed to measure', () => {
    expect(resultRow(metric, [1, Number.NaN, 1], machine).met).toBe(false);
  });
});

test('percentiles are nearest-rank samples, the median the middle', () => {
  expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
  expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
});
