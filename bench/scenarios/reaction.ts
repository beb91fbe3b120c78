/**
 * Scenario 1, reaction latency: a button's property changes in the simulator, the engine (its own
 * process) runs an ExampleIfRule-shaped rule, and its PUT reaches the simulated light. End to end is
 * timed in the simulator; the engine's share (WebSocket message in → PUT out) inside the engine.
 */
import { performance } from 'perf_hooks';
import { EngineProcess } from '../engine/EngineProcess';
import { sleepUntil, waitUntil } from '../pacing';
import type { Scenario } from '../scenario';
import { BenchGateway } from '../sim/BenchGateway';
import { bulb, button } from '../sim/benchThings';
import { percentile } from '../stats';

const RATE_PER_S = 100;
// Reactions before counting starts: connections warm, code optimized, as in a running home.
const WARMUP = 100;

export const reaction: Scenario = {
  name: 'reaction',
  title: 'Reaction latency (button → rule → light) at 100 events/s',
  metrics: [
    { name: 'reaction.e2e.p50', unit: 'ms', description: 'end to end, median of the run' },
    {
      name: 'reaction.e2e.p99',
      unit: 'ms',
      description: 'end to end, p99 of the run',
      target: { op: '<=', value: 5, judgedOn: 'median' },
    },
    { name: 'reaction.engine.p50', unit: 'ms', description: 'engine share, median of the run' },
    {
      name: 'reaction.engine.p99',
      unit: 'ms',
      description: 'engine share (WebSocket message in → PUT out), p99 of the run',
      target: { op: '<=', value: 1, judgedOn: 'median' },
    },
    {
      name: 'reaction.lost',
      unit: 'count',
      description: 'button changes whose command never reached the light',
      target: { op: '<=', value: 0, judgedOn: 'worst' },
    },
  ],
  runs: (quick) => (quick ? 3 : 5),
  async run({ quick }) {
    const events = quick ? 300 : 1500;
    const gateway = await new BenchGateway([button('bench-button'), bulb('bench-light')]).start();
    const engine = await EngineProcess.start({
      gatewayUrl: gateway.url,
      token: gateway.token,
      measureShare: true,
      rules: [
        {
          kind: 'mirror',
          id: 'button-to-light',
          from: { thing: 'bench-button', property: 'pushed' },
          to: { thing: 'bench-light', property: 'on' },
        },
      ],
    });
    try {
      // send stamps of changes whose command has not arrived yet, oldest first
      const sent: number[] = [];
      const latencies: number[] = [];
      gateway.onArrival((arrival) => {
        if (arrival.thingId !== 'bench-light') return;
        const at = sent.shift();
        if (at !== undefined) latencies.push(arrival.at - at);
      });
      let pushed = false;
      const press = () => {
        pushed = !pushed;
        sent.push(performance.now());
        gateway.deviceSets('bench-button', 'pushed', pushed);
      };
      const pace = async (count: number) => {
        const start = performance.now();
        for (let i = 0; i < count; i++) {
          await sleepUntil(start + (i * 1000) / RATE_PER_S);
          press();
        }
        await waitUntil(() => sent.length === 0, 2000);
      };
      await pace(WARMUP);
      latencies.length = 0;
      await engine.begin();
      await pace(events);
      const report = await engine.report();
      return {
        'reaction.e2e.p50': percentile(latencies, 50),
        'reaction.e2e.p99': percentile(latencies, 99),
        'reaction.engine.p50': percentile(report.shares, 50),
        'reaction.engine.p99': percentile(report.shares, 99),
        'reaction.lost': events - latencies.length,
      };
    } finally {
      await engine.stop();
      await gateway.stop();
    }
  },
};
