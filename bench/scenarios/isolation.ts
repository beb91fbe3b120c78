/**
 * Scenario `isolation` (issue 13): each careless rule of the issue's table runs for 60 s (15 s with
 * --quick, or ISOLATION_SECONDS) beside a healthy 1-second rule, in the real engine worker of the
 * standalone runner (watchdog, saved state) against the simulator. Per kind: the healthy rule's
 * firings as a share of those expected (one a second from when a clean start first fires it),
 * the seconds until the culprit was named and switched off (or set aside), and the longest wait
 * of a RuleThing setting write made every 250 ms.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import { RealClock } from '../../src/clock';
import type { FromEngine, RuleInfo } from '../../src/engine/messages';
import { seedHome, SimulatorServer } from '../../src/simulator';
import { runStandalone } from '../../src/standalone/runStandalone';
import type { Metric } from '../resultShape';
import type { Scenario } from '../scenario';

const TOKEN = 'isolation-bench-token';
const WRITE_EVERY_MS = 250;

const HEALTHY = `import { HeartBeat, Rule } from 'rule-things';
export default class HealthyRule extends Rule {
  level = this.setting('level', 0, { minimum: 0, maximum: 1000000 });
  triggers() { return [new HeartBeat('1s')]; }
  action() { this.things.Porch_Light.on = !this.things.Porch_Light.on; }
}
`;

/** A rule file `<id>.ts` whose class acts every `period` with `body` as its action. */
const every = (
  id: string,
  period: string,
  body: string
) => `import { HeartBeat, Rule } from 'rule-things';
export default class ${id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Rule extends Rule {
  triggers() { return [new HeartBeat('${period}')]; }
  ${body}
}
`;

interface Kind {
  id: string;
  /** The row of the issue's table. */
  title: string;
  /** The rule files besides the healthy one. */
  files: Record<string, string>;
  /** The rule to be named and switched off (or the file set aside); none for the type checker. */
  culprit?: string;
  /** Something done to the rules folder during the run (the type checker's edits). */
  tick?: (folder: string, second: number) => void;
}

const KINDS: Kind[] = [
  {
    id: 'unawaited-set',
    title: "unawaited this.thing('Kettle').set('noSuchProperty', true) every 3 s",
    files: {
      'unawaited-set.ts': every(
        'unawaited-set',
        '3s',
        `action() { this.thing('Kettle').set('noSuchProperty', true); }`
      ),
    },
    culprit: 'unawaited-set',
  },
  {
    id: 'timer-throw',
    title: 'throw inside a setTimeout callback every 3 s',
    files: {
      'timer-throw.ts': every(
        'timer-throw',
        '3s',
        `action() { setTimeout(() => { throw new Error('careless'); }, 10); }`
      ),
    },
    culprit: 'timer-throw',
  },
  {
    id: 'exit-action',
    title: 'process.exit(0) in an action every 3 s',
    files: { 'exit-action.ts': every('exit-action', '3s', `action() { process.exit(0); }`) },
    culprit: 'exit-action',
  },
  {
    id: 'exit-top',
    title: 'process.exit(3) at the top level of a rule file',
    files: {
      'exit-top.ts': `import { Rule } from 'rule-things';\nprocess.exit(3);\nexport default class ExitTopRule extends Rule {}\n`,
    },
    culprit: 'exit-top',
  },
  {
    id: 'loop-top',
    title: 'for (;;) {} at the top level of a rule file',
    files: {
      'loop-top.ts': `import { Rule } from 'rule-things';\nfor (;;) {}\nexport default class LoopTopRule extends Rule {}\n`,
    },
    culprit: 'loop-top',
  },
  {
    id: 'loop-timer',
    title: "an endless loop inside a rule's setTimeout callback",
    files: {
      'loop-timer.ts': every(
        'loop-timer',
        '5s',
        `action() { setTimeout(() => { for (;;) {} }, 10); }`
      ),
    },
    culprit: 'loop-timer',
  },
  {
    id: 'block-beside-sleep',
    title: "a blocking rule while another awaits this.sleep('30s')",
    files: {
      'sleeper.ts': every('sleeper', '1s', `async action() { await this.sleep('30s'); }`),
      'blocker.ts': every('blocker', '5s', `action() { setImmediate(() => { for (;;) {} }); }`),
    },
    culprit: 'blocker',
  },
  {
    id: 'buffers',
    title: 'a rule holding 768 MB of Buffers (16 MB more a second)',
    files: {
      'buffers.ts': every(
        'buffers',
        '1s',
        `held: Buffer[] = [];
  action() { if (this.held.length < 48) this.held.push(Buffer.alloc(16 * 1024 * 1024, 1)); }`
      ),
    },
    culprit: 'buffers',
  },
  {
    id: 'objects',
    title: 'a rule leaking plain objects',
    files: {
      'objects.ts': every(
        'objects',
        '100ms',
        `held: object[] = [];
  action() { for (let i = 0; i < 50000; i++) this.held.push({ i, text: 'leak ' + i }); }`
      ),
    },
    culprit: 'objects',
  },
  {
    id: 'type-check',
    title: 'the type checker after an edit (a rule file rewritten every 5 s)',
    files: { 'edited.ts': every('edited', '1h', `action() { this.things.Kettle.on = true; }`) },
    tick: (folder, second) => {
      if (second % 5 !== 0) return;
      fs.writeFileSync(
        path.join(folder, 'edited.ts'),
        every('edited', '1h', `action() { this.things.Kettle.on = ${second % 10 === 0}; }`)
      );
    },
  },
];

function metricsOf(kind: Kind): Metric[] {
  const metrics: Metric[] = [
    {
      name: `isolation.${kind.id}.healthy`,
      unit: '%',
      description: `${kind.title}: healthy 1-second rule's firings, share of expected`,
      target: { op: '>=', value: 95, judgedOn: 'worst' },
    },
    {
      name: `isolation.${kind.id}.writeWait`,
      unit: 'ms',
      description: `${kind.title}: longest RuleThing setting write`,
      target: { op: '<=', value: 1000, judgedOn: 'worst' },
    },
  ];
  if (kind.culprit) {
    metrics.splice(1, 0, {
      name: `isolation.${kind.id}.named`,
      unit: 's',
      description: `${kind.title}: seconds from the engine's start until the culprit was named and switched off`,
    });
  }
  return metrics;
}

function seconds(quick: boolean): number {
  const configured = Number(process.env.ISOLATION_SECONDS);
  if (configured > 0) return configured;
  return quick ? 15 : 60;
}

/** Whether the culprit has been named and stopped: switched off by the engine or set aside. */
function stopped(rule: RuleInfo | undefined): boolean {
  return !!rule && (!rule.enabled || rule.status.startsWith('failed to load'));
}

/** What one run of the runner saw: the healthy rule's firings and when the culprit was stopped. */
interface Observed {
  began: number;
  healthyFired: number[];
  namedAt?: number;
  longestWriteMs: number;
}

async function runKind(
  kind: Kind,
  durationS: number,
  log: (line: string) => void,
  startupMs: number
): Promise<Record<string, number>> {
  const seen = await observe(kind, durationS, log);
  const { began, healthyFired, namedAt, longestWriteMs } = seen;
  // Expected: one a second from when a clean start fires the healthy rule first, to the end.
  const expected = Math.floor((durationS * 1000 - startupMs) / 1000) + 1;
  const result: Record<string, number> = {
    [`isolation.${kind.id}.healthy`]: Math.min(100, (100 * healthyFired.length) / expected),
    [`isolation.${kind.id}.writeWait`]: longestWriteMs,
  };
  if (kind.culprit) {
    result[`isolation.${kind.id}.named`] =
      namedAt === undefined ? Number.NaN : (namedAt - began) / 1000;
  }
  log(
    `    ${kind.id}: healthy ${healthyFired.length}/${expected}, named ${namedAt === undefined ? 'never' : `${((namedAt - began) / 1000).toFixed(1)} s`}, longest write ${longestWriteMs.toFixed(0)} ms`
  );
  return result;
}

/** How long a clean start (the healthy rule alone) takes to fire the healthy rule first, in ms. */
async function cleanStartupMs(log: (line: string) => void): Promise<number> {
  const clean: Kind = { id: 'clean', title: 'the healthy rule alone', files: {} };
  const seen = await observe(clean, 0, log, true);
  const first = seen.healthyFired[0];
  if (first === undefined) throw new Error('the healthy rule alone never fired');
  log(
    `    a clean start fires the healthy rule after ${((first - seen.began) / 1000).toFixed(1)} s`
  );
  return first - seen.began;
}

/**
 * Runs the runner on `kind`'s files for `durationS`, writing the healthy rule's setting every
 * 250 ms; with `untilFirst`, only until the healthy rule first fires.
 */
async function observe(
  kind: Kind,
  durationS: number,
  log: (line: string) => void,
  untilFirst = false
): Promise<Observed> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-isolation-'));
  const folder = path.join(dir, 'rules');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'healthy.ts'), HEALTHY);
  for (const [name, source] of Object.entries(kind.files)) {
    fs.writeFileSync(path.join(folder, name), source);
  }
  const clock = new RealClock('UTC');
  const server = new SimulatorServer({ token: TOKEN, home: seedHome(clock) });
  await server.start();
  const rules = new Map<string, RuleInfo>();
  const healthyFired: number[] = [];
  let namedAt: number | undefined;
  const began = performance.now();
  const onMessage = (message: FromEngine): void => {
    if (message.type === 'fired' && message.record.ruleId === 'healthy')
      healthyFired.push(performance.now());
    if (message.type === 'rules') for (const rule of message.rules) rules.set(rule.id, rule);
    if (message.type === 'ruleChanged') rules.set(message.rule.id, message.rule);
    if (kind.culprit && namedAt === undefined && stopped(rules.get(kind.culprit)))
      namedAt = performance.now();
    if (process.env.BENCH_DEBUG && message.type === 'log') log(`    ${message.message}`);
  };
  const runner = await runStandalone({
    gatewayUrl: server.url,
    token: TOKEN,
    rulesFolder: folder,
    timeZone: 'UTC',
    place: { latitude: 52.52, longitude: 13.4 },
    acceptSelfSigned: false,
    loopGuardRate: 60,
    stateFile: path.join(dir, 'state.json'),
    writeTypes: false,
    clock,
    onMessage,
  });
  let longestWriteMs = 0;
  let value = 0;
  try {
    const end = began + durationS * 1000;
    let second = 0;
    while (untilFirst ? healthyFired.length === 0 : performance.now() < end) {
      const sent = performance.now();
      await runner.setSetting('healthy', 'level', ++value).catch(() => undefined);
      longestWriteMs = Math.max(longestWriteMs, performance.now() - sent);
      const now = performance.now();
      if (kind.tick && Math.floor((now - began) / 1000) > second) {
        second = Math.floor((now - began) / 1000);
        kind.tick(folder, second);
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, WRITE_EVERY_MS - (now - sent)))
      );
    }
  } finally {
    await runner.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { began, healthyFired, namedAt, longestWriteMs };
}

export const isolation: Scenario = {
  name: 'isolation',
  title: 'Isolation: careless rules beside a healthy 1-second rule, in the real engine worker',
  optIn: true,
  metrics: KINDS.flatMap(metricsOf),
  runs: () => 1,
  async run({ quick, log }) {
    const only = process.env.ISOLATION_KINDS?.split(',');
    const results: Record<string, number> = {};
    const startupMs = await cleanStartupMs(log);
    for (const kind of KINDS) {
      if (only && !only.includes(kind.id)) continue;
      Object.assign(results, await runKind(kind, seconds(quick), log, startupMs));
    }
    return results;
  },
};
