/**
 * `npm run bench [-- --quick] [-- --check] [-- --only <scenario>] [-- <scenario>] [-- --gateway]`:
 * runs every scenario several times against the simulator on 127.0.0.1 (with --gateway, also the
 * real-gateway scenario), prints the table (median and p99 of runs, target, met or MISSED) and
 * writes bench/results.json, keeping the rows of scenarios not run. Opt-in scenarios (isolation,
 * gateway) run only when named. Exits 0 even when a target is missed (the numbers are the
 * product); with --check, a missed target or a failed run exits 1.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import { ResultRow, ResultsFile, resultRow, withUpdate } from './resultShape';
import type { Scenario } from './scenario';
import { coalescing } from './scenarios/coalescing';
import { fanout } from './scenarios/fanout';
import { gatewayScenario } from './scenarios/gateway';
import { isolation } from './scenarios/isolation';
import { reaction } from './scenarios/reaction';
import { scale } from './scenarios/scale';
import { timers } from './scenarios/timers';
import { markdownTable, textTable } from './table';

const SCENARIOS: Scenario[] = [
  reaction,
  fanout,
  scale,
  timers,
  coalescing,
  isolation,
  gatewayScenario,
];

interface Options {
  quick: boolean;
  check: boolean;
  only: string | undefined;
  gateway: boolean;
  /** Where results.json goes (default bench/results.json). */
  out: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    quick: false,
    check: false,
    only: undefined,
    gateway: false,
    out: path.join(__dirname, 'results.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--check') options.check = true;
    else if (arg === '--only') options.only = argv[++i];
    else if (arg === '--gateway') options.gateway = true;
    else if (arg === '--out') options.out = path.resolve(argv[++i]);
    else if (!arg.startsWith('-') && options.only === undefined) options.only = arg;
    else
      throw new Error(
        `Unknown option "${arg}" (use --quick, --check, --only <name> or <name>, --gateway, --out <file>)`
      );
  }
  const names = SCENARIOS.map((s) => s.name);
  if (options.only !== undefined && !names.includes(options.only)) {
    throw new Error(`Unknown scenario "${options.only}" (scenarios: ${names.join(', ')})`);
  }
  return options;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Runs one scenario's runs; a run that throws gives NaN figures (never a met target) and a note. */
async function measure(
  scenario: Scenario,
  quick: boolean,
  machine: { cores: number; node: string }
) {
  const skip = await scenario.prepare?.({ quick, log });
  if (skip) {
    log(`  ${scenario.name} skipped: ${skip}`);
    await scenario.finish?.();
    return { rows: [], failures: 0 };
  }
  try {
    return await measureRuns(scenario, quick, machine);
  } finally {
    await scenario.finish?.();
  }
}

async function measureRuns(
  scenario: Scenario,
  quick: boolean,
  machine: { cores: number; node: string }
) {
  const runs = scenario.runs(quick);
  const figures = new Map<string, number[]>(scenario.metrics.map((m) => [m.name, []]));
  let failures = 0;
  for (let run = 1; run <= runs; run++) {
    const began = performance.now();
    let result: Record<string, number> = {};
    try {
      result = await scenario.run({ quick, log });
    } catch (error) {
      failures++;
      log(
        `  ${scenario.name} run ${run}: FAILED: ${error instanceof Error ? error.message : String(error)}`
      );
    }
    for (const [name, values] of figures) values.push(result[name] ?? Number.NaN);
    const shown = scenario.metrics
      .filter((m) => m.target)
      .map(
        (m) => `${m.name.slice(scenario.name.length + 1)} ${(result[m.name] ?? NaN).toFixed(2)}`
      );
    log(
      `  ${scenario.name} run ${run}/${runs} (${((performance.now() - began) / 1000).toFixed(1)} s): ${shown.join(', ')}`
    );
  }
  const rows = scenario.metrics.map((metric) =>
    resultRow(metric, figures.get(metric.name)!, machine)
  );
  return { rows, failures };
}

/** Which scenarios a run without --only measures: all but the opt-in ones, the gateway's with --gateway. */
function selectedByDefault(scenario: Scenario, options: Options): boolean {
  return !scenario.optIn || (options.gateway && scenario === gatewayScenario);
}

/**
 * A run of several scenarios: its header, its rows, and the rows (and noted updates) of the
 * scenarios it did not measure kept from the file, so the opt-in scenarios' figures stay.
 */
function withKept(file: string, measured: ResultsFile): ResultsFile {
  if (!existsSync(file)) return measured;
  const ran = new Set(measured.results.map((row) => row.scenario));
  const previous = JSON.parse(readFileSync(file, 'utf8')) as ResultsFile;
  const updates = (previous.updates ?? []).filter((u) => !ran.has(u.scenario.split(/[. ]/)[0]));
  return {
    ...measured,
    ...(updates.length > 0 ? { updates } : {}),
    results: [...previous.results.filter((row) => !ran.has(row.scenario)), ...measured.results],
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const began = performance.now();
  const machine = { cores: os.cpus().length, node: process.version };
  const loadAverage = os.loadavg()[0];
  log(
    `Rule Things bench (${options.quick ? 'quick' : 'full'}): ${machine.cores} cores, node ${machine.node}, load ${loadAverage.toFixed(2)}`
  );
  const rows: ResultRow[] = [];
  let failures = 0;
  for (const scenario of SCENARIOS) {
    if (options.only ? scenario.name !== options.only : !selectedByDefault(scenario, options))
      continue;
    log(`${scenario.title}`);
    const measured = await measure(scenario, options.quick, machine);
    rows.push(...measured.rows);
    failures += measured.failures;
  }
  const measured: ResultsFile = {
    generatedAt: new Date().toISOString(),
    mode: options.quick ? 'quick' : 'full',
    cores: machine.cores,
    node: machine.node,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage: Math.round(loadAverage * 100) / 100,
    loadAverageEnd: Math.round(os.loadavg()[0] * 100) / 100,
    durationSeconds: Math.round((performance.now() - began) / 1000),
    results: rows,
  };
  const results = options.only
    ? mergeInto(options.out, measured, options.only)
    : withKept(options.out, measured);
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${textTable(rows)}\n\n`);
  if (process.env.BENCH_MARKDOWN) process.stdout.write(`${markdownTable(rows)}\n\n`);
  const missed = rows.filter((row) => row.met === false);
  log(
    `${missed.length === 0 ? 'every target met' : `MISSED: ${missed.map((r) => r.name).join(', ')}`}` +
      `${failures > 0 ? `; ${failures} run(s) failed` : ''}; wrote ${path.relative(process.cwd(), options.out)} in ${measured.durationSeconds} s`
  );
  if (options.check && (missed.length > 0 || failures > 0)) process.exitCode = 1;
}

/**
 * With --only: the results file as it was, with this run's rows replacing those of the same name
 * and the run noted under `updates` (the header keeps describing the run that wrote the file).
 */
function mergeInto(file: string, measured: ResultsFile, scenario: string): ResultsFile {
  if (!existsSync(file)) return measured;
  return withUpdate(JSON.parse(readFileSync(file, 'utf8')) as ResultsFile, measured.results, {
    scenario,
    generatedAt: measured.generatedAt,
    loadAverage: measured.loadAverage,
    loadAverageEnd: measured.loadAverageEnd,
    durationSeconds: measured.durationSeconds,
  });
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 2;
});
