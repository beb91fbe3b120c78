/**
 * The same reaction made by a GUI rule (the gateway's own rules engine) and by a code rule (our
 * engine in its own process, as the add-on runs it), on one real gateway, in alternating trials,
 * timed by one probe: from the probe's setProperty of the trigger (a click) to the gateway's
 * report of the effect. Timing from the probe's receipt of the trigger's report instead would
 * favour the GUI rule on a loaded machine: it reacts inside the gateway while the probe waits for
 * the CPU, and then reads both reports at once. Three shapes: one light (the seed's
 * ExampleIfRule), a thing changed back to back (five toggles), and six lights at once.
 */
import { EngineProcess } from '../engine/EngineProcess';
import type { RuleSpec } from '../engine/protocol';
import { sleep } from '../pacing';
import { epochNow, GatewayProbe, Report } from './GatewayProbe';
import { GuiRules, ifOnTurnOn, whileOnTurnOn } from './guiRules';

/** How to reach the gateway: its URL, a user's token (rules) and a local authorization (things). */
export interface GatewayAccess {
  base: string;
  jwt: string;
  localToken: string;
}

/** Virtual things (ids of the virtual-things add-on) that each side uses; all have a writable `on`. */
export const BENCH_THINGS = {
  gui: { from: 'virtual-things-3', to: 'virtual-things-7' },
  code: { from: 'virtual-things-0', to: 'virtual-things-12' },
  lights: [
    'virtual-things-1',
    'virtual-things-2',
    'virtual-things-6',
    'virtual-things-7',
    'virtual-things-8',
    'virtual-things-12',
  ],
};

export type Side = 'gui' | 'code';

export interface SideBySideOptions {
  /** Trials of each side, counted. */
  pairs: number;
  /** Trials of each side before counting starts (code optimized, connections warm). */
  warmup: number;
  /** Where the code rule's engine sends its writes. */
  commandChannel?: 'socket' | 'rest';
  /**
   * false: the code rules already run elsewhere (the Rule Things add-on inside the gateway, with
   * CODE_RULE_FILES in its rules folder), so no engine process is started and no stages are timed.
   */
  engineProcess?: boolean;
}

/** Per-trial figures of one side, in ms. */
export type Times = Record<Side, number[]>;

/** Where a code reaction's time goes, per trial, in ms. */
export interface Stages {
  /** The probe's setProperty of the trigger → the probe has the gateway's report of it. */
  trigger: number[];
  /** Gateway report of the trigger → our engine has the message (vs. the probe's copy). */
  delivery: number[];
  /** Message in → command handed to the socket (parsing, rule, write). */
  engine: number[];
  /** Command out → the gateway reports the effect (gateway, adapter, back). */
  command: number[];
}

// A pause before each trial so that both engines meet it idle, varied so it never locks to a period.
const settle = () => sleep(10 + Math.random() * 10);
// Back to back: the trigger's changes, sent without waiting; it ends on, as it started off.
const TOGGLES = [true, false, true, false, true];
// Back to back is over when the effect has been quiet this long after the trigger's last change.
const QUIET_MS = 300;

/** Trials alternate between the sides, the first of each pair alternating too (gui-code, code-gui, …). */
async function alternate(
  options: SideBySideOptions,
  trial: (side: Side, counted: boolean) => Promise<void>
): Promise<void> {
  for (let i = 0; i < options.warmup + options.pairs; i++) {
    const order: Side[] = i % 2 === 0 ? ['gui', 'code'] : ['code', 'gui'];
    for (const side of order) await trial(side, i >= options.warmup);
  }
}

async function withSetup<T>(
  access: GatewayAccess,
  guiRules: Record<string, unknown>[],
  codeRules: RuleSpec[],
  options: SideBySideOptions,
  body: (probe: GatewayProbe, engine: EngineProcess | undefined) => Promise<T>
): Promise<T> {
  const rules = new GuiRules(access.base, access.jwt);
  const probe = await GatewayProbe.open(access.base, access.jwt);
  let engine: EngineProcess | undefined;
  try {
    for (const rule of guiRules) await rules.add(rule);
    if (options.engineProcess === false) return await body(probe, undefined);
    engine = await EngineProcess.start({
      gatewayUrl: access.base,
      token: access.localToken,
      rules: codeRules,
      measureShare: true,
      commandChannel: options.commandChannel,
    });
    return await body(probe, engine);
  } finally {
    await engine?.stop();
    await rules.removeAll();
    probe.close();
  }
}

/** Turns `from` off and waits until `to` (all of them) are off: set by the probe, or by the code rule. */
async function reset(probe: GatewayProbe, from: string, to: string[], byProbe: boolean) {
  probe.set(from, 'on', false);
  if (byProbe) for (const id of to) probe.set(id, 'on', false);
  await probe.until(from, 'on', false);
  for (const id of to) await probe.until(id, 'on', false);
  await settle();
}

/** Trigger on; resolves with the stamps of the click, of the trigger's report and of the last effect's report. */
async function fire(
  probe: GatewayProbe,
  from: string,
  to: string[]
): Promise<[number, number, number]> {
  const triggered = probe.next(from, 'on', true);
  const effects = to.map((id) => probe.next(id, 'on', true));
  const clicked = epochNow();
  probe.set(from, 'on', true);
  const reported = await triggered;
  const ends = await Promise.all(effects);
  return [clicked, reported, Math.max(...ends)];
}

/** The code side's rule `id`: B follows A (the seed's ExampleIfRule). */
function codeMirror(id: string): RuleSpec {
  const { code } = BENCH_THINGS;
  return {
    kind: 'mirror',
    id,
    from: { thing: code.from, property: 'on' },
    to: { thing: code.to, property: 'on' },
  };
}

/** One light: "if A is on, turn B on", GUI rule vs ExampleIfRule-shaped code rule. */
export async function reaction(
  access: GatewayAccess,
  options: SideBySideOptions
): Promise<{ times: Times; stages: Stages }> {
  const { gui } = BENCH_THINGS;
  const mirror = codeMirror('bench-code-reaction');
  const gate = ifOnTurnOn('bench gui reaction', gui.from, [gui.to]);
  // The code rule mirrors: turning A off turns B off; the GUI rule's B is turned off by hand.
  return withSetup(access, [gate], [mirror], options, (probe, engine) =>
    clickTrials(probe, engine, options, (side) => [BENCH_THINGS[side].to])
  );
}

/**
 * Alternating trials of a click on the side's A until every thing of `effects(side)` is on: the
 * time of each, and the stages of the code side's. Each trial starts from A and its effects off
 * (the GUI side's effects turned off by the probe, the code side's by its rule).
 */
async function clickTrials(
  probe: GatewayProbe,
  engine: EngineProcess | undefined,
  options: SideBySideOptions,
  effects: (side: Side) => string[]
): Promise<{ times: Times; stages: Stages }> {
  const times: Times = { gui: [], code: [] };
  const windows: [number, number, number][] = [];
  let begun = false;
  await alternate(options, async (side, counted) => {
    if (counted && !begun) {
      await engine?.begin();
      begun = true;
    }
    const from = BENCH_THINGS[side].from;
    await reset(probe, from, effects(side), side === 'gui');
    const [clicked, reported, end] = await fire(probe, from, effects(side));
    if (!counted) return;
    times[side].push(end - clicked);
    if (side === 'code') windows.push([clicked, reported, end]);
  });
  const stamps = engine ? (await engine.report()).stamps : [];
  return { times, stages: stagesOf(windows, stamps) };
}

/** Matches each code trial with the engine's stamps of the reaction inside it (its last command). */
function stagesOf(
  windows: [number, number, number][],
  stamps: { messageIn: number; commandOut: number }[]
): Stages {
  const stages: Stages = { trigger: [], delivery: [], engine: [], command: [] };
  for (const [clicked, start, end] of windows) {
    stages.trigger.push(start - clicked);
    // The trial's reaction: its commands went out before the effect was reported, and its
    // message came in no earlier than a few ms before the probe's copy of it.
    const mine = stamps.filter((s) => s.commandOut <= end && s.messageIn >= start - 5);
    if (mine.length === 0) continue;
    const messageIn = Math.min(...mine.map((s) => s.messageIn));
    const lastOut = Math.max(...mine.map((s) => s.commandOut));
    stages.delivery.push(messageIn - start);
    stages.engine.push(lastOut - messageIn);
    stages.command.push(end - lastOut);
  }
  return stages;
}

/**
 * Back to back: A toggles five times without a pause; B follows ("while A is on, B is on" vs a
 * mirroring code rule). Timed from the first click to B's last report; B must end on.
 */
export async function backToBack(
  access: GatewayAccess,
  options: SideBySideOptions
): Promise<{ times: Times; wrongEnd: number }> {
  const { gui } = BENCH_THINGS;
  const mirror = codeMirror('bench-code-back-to-back');
  const pulse = whileOnTurnOn('bench gui back to back', gui.from, gui.to);
  return withSetup(access, [pulse], [mirror], options, async (probe) => {
    const times: Times = { gui: [], code: [] };
    let wrongEnd = 0;
    await alternate(options, async (side, counted) => {
      const pair = BENCH_THINGS[side];
      await reset(probe, pair.from, [pair.to], side === 'gui');
      const reports = probe.record();
      const clicked = epochNow();
      for (const value of TOGGLES) probe.set(pair.from, 'on', value);
      await probe.next(pair.to, 'on', true).catch(() => undefined);
      const lastOf = (id: string): Report | undefined =>
        reports.filter((r) => r.thingId === id && r.name === 'on').pop();
      // Quiet: no report of B for QUIET_MS after A's last change and B's last report.
      for (;;) {
        const seen = reports.length;
        await sleep(QUIET_MS);
        if (reports.length === seen) break;
      }
      probe.stopRecording();
      const last = lastOf(pair.to);
      if (!counted) return;
      if (!last || last.value !== true) {
        wrongEnd++;
        return;
      }
      times[side].push(last.at - clicked);
    });
    return { times, wrongEnd };
  });
}

/** Fan-out: "if A is on, turn six lights on", GUI rule with six effects vs one code rule. */
export async function fanOut(
  access: GatewayAccess,
  options: SideBySideOptions
): Promise<{ times: Times; stages: Stages }> {
  const { gui, code, lights } = BENCH_THINGS;
  const fan: RuleSpec = {
    kind: 'fan',
    id: 'bench-code-fanout',
    from: { thing: code.from, property: 'on' },
    to: lights,
    property: 'on',
  };
  const gate = ifOnTurnOn('bench gui fan-out', gui.from, lights);
  return withSetup(access, [gate], [fan], options, (probe, engine) =>
    clickTrials(probe, engine, options, () => lights)
  );
}

/**
 * The code rules of the three shapes as files for the add-on's rules folder, written as a user
 * would (the seed's ExampleIfRule: mirror a property), for running them inside the gateway.
 */
export const CODE_RULE_FILES: Record<string, string> = {
  'bench-mirror.ts': `import { Rule } from 'rule-things';

/** Mirrors ${BENCH_THINGS.code.from} on into ${BENCH_THINGS.code.to} (the bench's code side). */
export default class BenchMirror extends Rule {
  source = this.thing('${BENCH_THINGS.code.from}');
  target = this.thing('${BENCH_THINGS.code.to}');

  triggers() {
    return [this.source.property('on')];
  }

  action(_trigger: unknown, _property: string, value: unknown) {
    this.target.on = value === true;
  }
}
`,
};
