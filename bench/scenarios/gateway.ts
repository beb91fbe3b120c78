/**
 * Scenario 6, the real gateway (`npm run bench -- --gateway`): the gateway's own GUI rule and our
 * code rule side by side on one WebThings Gateway 2.1 with its virtual things, started by the
 * real-gateway suite's harness on free ports. Reaction (one light), back to back (five toggles of
 * one thing) and fan-out (six lights), alternating trials timed by one probe; the code rule's
 * time split into stages. Skipped with one line where ../shared/gateway is absent.
 */
import fs from 'fs';
import path from 'path';
import type { Gateway } from '../../test-gateway/harness';
import type { Metric } from '../resultShape';
import type { Scenario } from '../scenario';
import { backToBack, fanOut, GatewayAccess, reaction, Stages, Times } from '../gateway/sideBySide';
import { percentile } from '../stats';

const shared = path.resolve(
  process.env.RULE_THINGS_SHARED ?? path.join(__dirname, '..', '..', '..', 'shared')
);
const sources = path.join(shared, 'gateway');
// BENCH_GATEWAY_COMMANDS=rest: the code rule's writes as REST PUTs, as before they went over the socket.
const COMMANDS: 'socket' | 'rest' =
  process.env.BENCH_GATEWAY_COMMANDS === 'rest' ? 'rest' : 'socket';

let gateway: Gateway | undefined;
let teardown: (() => Promise<void>) | undefined;

const ms = (name: string, description: string, target?: Metric['target']): Metric => ({
  name: `gateway.${name}`,
  unit: 'ms',
  description,
  ...(target ? { target } : {}),
});
const atMost = (value: number): Metric['target'] => ({ op: '<=', value, judgedOn: 'median' });

/** p50 and p99 of each side, and the code rule's difference to the GUI rule (same run). */
function sideBySide(prefix: string, times: Times): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const p of [50, 99]) {
    const gui = percentile(times.gui, p);
    const code = percentile(times.code, p);
    figures[`gateway.${prefix}gui.p${p}`] = gui;
    figures[`gateway.${prefix}code.p${p}`] = code;
    figures[`gateway.${prefix}code.p${p}_over_gui`] = code - gui;
  }
  return figures;
}

/** Medians of the code rule's stages after the trigger's report. */
function stageFigures(prefix: string, stages: Stages): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const stage of ['delivery', 'engine', 'command'] as const) {
    figures[`gateway.${prefix}code.${stage}.p50`] = percentile(stages[stage], 50);
  }
  return figures;
}

export const gatewayScenario: Scenario = {
  name: 'gateway',
  optIn: true,
  title: 'Real gateway: GUI rule vs code rule, alternating, one probe',
  metrics: [
    ms('gui.p50', 'click on A → gateway reports B on, GUI rule ("if A is on, turn B on"), median'),
    ms('code.p50', 'the same reaction by a code rule (ExampleIfRule shape), median of the run'),
    ms('code.p50_over_gui', 'code p50 minus GUI p50, same run', atMost(1)),
    ms('gui.p99', 'GUI rule reaction, p99 of the run'),
    ms('code.p99', 'code rule reaction, p99 of the run'),
    ms('code.p99_over_gui', 'code p99 minus GUI p99, same run', atMost(0)),
    ms(
      'code.trigger.p50',
      "click on A → the probe has the gateway's report of A (both sides pay it)"
    ),
    ms('code.delivery.p50', "gateway's report of A → our engine has it (vs the probe's copy)"),
    ms('code.engine.p50', 'message in → command handed to the socket, inside the engine'),
    ms('code.command.p50', 'command out → the gateway reports B (gateway, adapter, back)'),
    ms('backToBack.gui.p50', 'five clicks on A back to back → B settled, GUI While rule'),
    ms('backToBack.code.p50', 'the same with a code rule mirroring A into B'),
    ms('backToBack.code.p50_over_gui', 'code minus GUI, same run', atMost(0)),
    {
      name: 'gateway.backToBack.wrongEnd',
      unit: 'count',
      description: 'back-to-back trials (either side) where B did not end on',
      target: { op: '<=', value: 0, judgedOn: 'worst' },
    },
    ms('fanout.gui.p50', 'click on A → the last of six lights on, GUI rule with six effects'),
    ms('fanout.code.p50', 'the same with one code rule setting six lights'),
    ms('fanout.code.p50_over_gui', 'code minus GUI, same run', atMost(0)),
    ms('fanout.gui.p99', 'fan-out, GUI rule, p99 of the run'),
    ms('fanout.code.p99', 'fan-out, code rule, p99 of the run'),
    ms('fanout.code.delivery.p50', "fan-out: gateway's report of A → our engine has it"),
    ms('fanout.code.engine.p50', 'fan-out: message in → the last of six commands has left'),
    ms('fanout.code.command.p50', 'fan-out: last command out → the gateway reports the last light'),
  ],
  runs: (quick) => (quick ? 1 : 3),

  async prepare({ log }) {
    if (!fs.existsSync(path.join(sources, 'gw.sh'))) {
      return `no WebThings Gateway sources at ${sources} (needs ../shared/gateway beside the repository, or RULE_THINGS_SHARED)`;
    }
    // The real-gateway suite's harness: its global setup builds the gateway once (outside the
    // repository) and the add-on tarball; Gateway.start makes a profile on free ports.
    const { default: globalSetup } = await import('../../test-gateway/harness/globalSetup');
    const { default: globalTeardown } = await import('../../test-gateway/harness/globalTeardown');
    const { Gateway } = await import('../../test-gateway/harness');
    await globalSetup({} as never, { globals: { ruleThingsGatewaySources: sources } } as never);
    teardown = globalTeardown;
    log(`  starting a WebThings Gateway with its virtual things (code rule writes: ${COMMANDS})`);
    gateway = await Gateway.start({ ruleThings: false });
    return undefined;
  },

  async finish() {
    await gateway?.stop();
    gateway = undefined;
    await teardown?.();
    teardown = undefined;
  },

  async run({ quick }) {
    if (!gateway) throw new Error('no gateway: prepare() did not run');
    const access: GatewayAccess = {
      base: gateway.base,
      jwt: gateway.jwt,
      localToken: gateway.localToken,
    };
    const options = (pairs: number, warmup: number) => ({
      pairs,
      warmup,
      commandChannel: COMMANDS,
    });
    const one = await reaction(access, options(quick ? 50 : 150, 20));
    const b2b = await backToBack(access, options(quick ? 5 : 20, 2));
    const fan = await fanOut(access, options(quick ? 20 : 50, 5));
    const b2bFigures = sideBySide('backToBack.', b2b.times);
    return {
      ...sideBySide('', one.times),
      'gateway.code.trigger.p50': percentile(one.stages.trigger, 50),
      ...stageFigures('', one.stages),
      'gateway.backToBack.gui.p50': b2bFigures['gateway.backToBack.gui.p50'],
      'gateway.backToBack.code.p50': b2bFigures['gateway.backToBack.code.p50'],
      'gateway.backToBack.code.p50_over_gui': b2bFigures['gateway.backToBack.code.p50_over_gui'],
      'gateway.backToBack.wrongEnd': b2b.wrongEnd,
      ...sideBySide('fanout.', fan.times),
      ...stageFigures('fanout.', fan.stages),
    };
  },
};
