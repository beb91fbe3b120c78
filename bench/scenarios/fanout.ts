/**
 * Scenario 2, fan-out: one button change, one rule that gives every bulb of its group a new color
 * (the seed's RainbowRule shape), for 6 and for 50 bulbs; timed in the simulator from the change
 * to the last bulb's new value. pywot paces a thing's commands 0.25 s apart, for comparison.
 */
import { performance } from 'perf_hooks';
import { EngineProcess } from '../engine/EngineProcess';
import { sleep, waitUntil } from '../pacing';
import type { Scenario } from '../scenario';
import { BenchGateway } from '../sim/BenchGateway';
import { bulb, button } from '../sim/benchThings';
import { percentile } from '../stats';

const RAINBOW = ['#ff0000', '#ff7f00', '#ffff00', '#00ff00', '#0000ff', '#8b00ff'];
const GROUPS = [6, 50];
// Triggers before counting starts (connections to the simulator opened, code optimized).
const WARMUP = 10;
// A pause between triggers so that each one meets an idle engine.
const GAP_MS = 20;

const bulbIds = (size: number) =>
  Array.from({ length: size }, (_, i) => `bulb-${size}-${String(i + 1).padStart(2, '0')}`);

export const fanout: Scenario = {
  name: 'fanout',
  title: 'Fan-out: one trigger, one rule setting 6 and 50 bulbs',
  metrics: GROUPS.flatMap((size) => [
    {
      name: `fanout.${size}.p50`,
      unit: 'ms' as const,
      description: `change → last of ${size} bulbs has its new color, median of the run`,
    },
    {
      name: `fanout.${size}.p99`,
      unit: 'ms' as const,
      description: `change → last of ${size} bulbs has its new color, p99 of the run`,
      target: { op: '<=' as const, value: size === 6 ? 20 : 100, judgedOn: 'median' as const },
    },
  ]),
  runs: (quick) => (quick ? 3 : 5),
  async run({ quick }) {
    const triggers = quick ? 30 : 100;
    const things = GROUPS.flatMap((size) => [button(`button-${size}`), ...bulbIds(size).map(bulb)]);
    const gateway = await new BenchGateway(things).start();
    const engine = await EngineProcess.start({
      gatewayUrl: gateway.url,
      token: gateway.token,
      rules: GROUPS.map((size) => ({
        kind: 'rotate' as const,
        id: `rainbow-${size}`,
        from: { thing: `button-${size}`, property: 'pushed' },
        to: bulbIds(size),
        property: 'color',
        values: RAINBOW,
      })),
    });
    try {
      const figures: Record<string, number> = {};
      for (const size of GROUPS) {
        const prefix = `bulb-${size}-`;
        let arrived = 0;
        let last = 0;
        gateway.onArrival((arrival) => {
          if (!arrival.thingId.startsWith(prefix)) return;
          arrived++;
          last = arrival.at;
        });
        const times: number[] = [];
        let pushed = false;
        for (let i = 0; i < WARMUP + triggers; i++) {
          arrived = 0;
          pushed = !pushed;
          const start = performance.now();
          gateway.deviceSets(`button-${size}`, 'pushed', pushed);
          if (!(await waitUntil(() => arrived === size, 2000, 1))) {
            throw new Error(`only ${arrived} of ${size} bulbs got their new color`);
          }
          if (i >= WARMUP) times.push(last - start);
          await sleep(GAP_MS);
        }
        figures[`fanout.${size}.p50`] = percentile(times, 50);
        figures[`fanout.${size}.p99`] = percentile(times, 99);
      }
      return figures;
    } finally {
      await engine.stop();
      await gateway.stop();
    }
  },
};
