/**
 * Scenario 3, scale: 1,000 things and 1,000 rules (each sensor reading is mirrored to the next
 * thing's level). Startup is timed inside the engine; then the simulator changes 5,000 readings a
 * second and counts every resulting command at the simulated device: none may be missing. The
 * first seconds at full rate (JIT, connections) are not counted; what they coalesced is reported.
 */
import { performance } from 'perf_hooks';
import { EngineProcess } from '../engine/EngineProcess';
import type { RuleSpec } from '../engine/protocol';
import { sleep, waitUntil } from '../pacing';
import type { Scenario } from '../scenario';
import { BenchGateway } from '../sim/BenchGateway';
import { node } from '../sim/benchThings';
import { percentile } from '../stats';

const THINGS = 1000;
const RATE_PER_S = 5000;
// How long the engine may take, after the last change, to deliver what is still on its way.
const DRAIN_TIMEOUT_MS = 10_000;

const idOf = (i: number) => `node-${String(i).padStart(4, '0')}`;

export const scale: Scenario = {
  name: 'scale',
  title: 'Scale: 1,000 things, 1,000 rules, 5,000 changes/s',
  metrics: [
    {
      name: 'scale.startup',
      unit: 'ms',
      description: 'connect, read every description and value, build proxies, start every rule',
      target: { op: '<=', value: 2000, judgedOn: 'median' },
    },
    {
      name: 'scale.rate',
      unit: 'changes/s',
      description: 'property changes the simulator made per second (the load offered)',
      target: { op: '>=', value: 4950, judgedOn: 'worst' },
    },
    {
      name: 'scale.lost',
      unit: 'count',
      description: 'changes whose rule command never reached its device',
      target: { op: '<=', value: 0, judgedOn: 'worst' },
    },
    {
      name: 'scale.warmup.coalesced',
      unit: 'count',
      description:
        'commands of the first (uncounted) seconds replaced by newer ones before they were sent',
    },
    { name: 'scale.lag.p99', unit: 'ms', description: 'change → its command at the device, p99' },
    {
      name: 'scale.rss',
      unit: 'MB',
      description: 'peak resident set size of the engine process under load',
      target: { op: '<=', value: 150, judgedOn: 'worst' },
    },
    { name: 'scale.cpu', unit: '%', description: 'engine process CPU under load (100 = one core)' },
  ],
  runs: (quick) => (quick ? 2 : 3),
  async run({ quick }) {
    const warmupSeconds = quick ? 1 : 2;
    const seconds = quick ? 4 : 30;
    const warmup = RATE_PER_S * warmupSeconds;
    const total = warmup + RATE_PER_S * seconds;
    const things = Array.from({ length: THINGS }, (_, i) => node(idOf(i)));
    const rules: RuleSpec[] = things.map((_, i) => ({
      kind: 'mirror',
      id: `mirror-${idOf(i)}`,
      from: { thing: idOf(i), property: 'reading' },
      to: { thing: idOf((i + 1) % THINGS), property: 'level' },
    }));
    const gateway = await new BenchGateway(things).start();
    const engine = await EngineProcess.start({
      gatewayUrl: gateway.url,
      token: gateway.token,
      rules,
    });
    try {
      // source index -> reading -> when the simulator made that change
      const sentAt = Array.from({ length: THINGS }, () => [] as number[]);
      const readings = new Array<number>(THINGS).fill(0);
      const lags: number[] = [];
      // the reading at which counting started, per source: commands for later readings count
      const firstCounted = new Array<number>(THINGS).fill(Infinity);
      let arrived = 0;
      let arrivedInWarmup = 0;
      gateway.onArrival((arrival) => {
        const source = (Number(arrival.thingId.slice(5)) + THINGS - 1) % THINGS;
        const reading = arrival.value as number;
        if (reading < firstCounted[source]) {
          arrivedInWarmup++;
          return;
        }
        arrived++;
        lags.push(arrival.at - sentAt[source][reading]);
      });
      const start = performance.now();
      // BENCH_DEBUG=1: the backlog every half second, to see when the engine falls behind
      const trace = process.env.BENCH_DEBUG
        ? setInterval(() => {
            const t = ((performance.now() - start) / 1000).toFixed(1);
            process.stderr.write(
              `scale ${t}s: sent ${sent}, arrived ${arrived}, backlog ${sent - arrived}\n`
            );
          }, 500)
        : undefined;
      let sent = 0;
      let lastSend = start;
      while (sent < total) {
        // Catch up to where the rate says we should be: timer jitter does not lower the load.
        const due = Math.min(total, Math.floor(((performance.now() - start) * RATE_PER_S) / 1000));
        for (; sent < due; sent++) {
          const i = sent % THINGS;
          if (sent >= warmup && firstCounted[i] === Infinity) firstCounted[i] = readings[i] + 1;
          if (sent === warmup) await engine.begin();
          sentAt[i][++readings[i]] = performance.now();
          gateway.deviceSets(idOf(i), 'reading', readings[i]);
        }
        lastSend = performance.now();
        await sleep(1);
      }
      const counted = total - warmup;
      await waitUntil(() => arrived >= counted, DRAIN_TIMEOUT_MS, 10);
      clearInterval(trace);
      // Anything later than the drain timeout counts as lost; a little quiet catches extras.
      await sleep(50);
      const report = await engine.report();
      let wrongFinal = 0;
      for (let i = 0; i < THINGS; i++) {
        if (gateway.home.getProperty(idOf((i + 1) % THINGS), 'level') !== readings[i]) wrongFinal++;
      }
      if (report.troubled.length > 0) {
        throw new Error(`rules in trouble: ${report.troubled.slice(0, 3).join('; ')}`);
      }
      return {
        'scale.startup': engine.startupMs,
        'scale.rate': total / ((lastSend - start) / 1000),
        'scale.lost': Math.max(counted - arrived, wrongFinal),
        'scale.warmup.coalesced': warmup - arrivedInWarmup,
        'scale.lag.p99': percentile(lags, 99),
        'scale.rss': report.peakRssMB,
        'scale.cpu': report.cpuPercent,
      };
    } finally {
      await engine.stop();
      await gateway.stop();
    }
  },
};
