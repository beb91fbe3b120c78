/**
 * Scenario 4, timer precision: 1,000 rules whose time triggers come due in two bursts on the real
 * clock: 500 HeartBeats on one instant (beats fall on the clock's grid, so same-period beats
 * coincide) and 500 AbsoluteTimeTriggers on the next second; each action notes how late it ran.
 * In-process over the simulator's LocalGateway: time triggers need no sockets.
 */
import { DateTime } from 'luxon';
import { RealClock } from '../../src/clock';
import { Rule } from '../../src/engine/Rule';
import { RuleSystem } from '../../src/engine/RuleSystem';
import { LocalGateway, SimulatedHome } from '../../src/simulator';
import { AbsoluteTimeTrigger, HeartBeat } from '../../src/triggers';
import type { TimeTrigger } from '../../src/triggers/TimeTrigger';
import { sleep, waitUntil } from '../pacing';
import type { Scenario } from '../scenario';
import { bulb } from '../sim/benchThings';
import { percentile } from '../stats';

const EACH = 500;
// How far ahead the shared second lies: time to add and start 1,000 rules first.
const LEAD_SECONDS = 2;

/** A rule that notes how late its one trigger fired (Date.now(): the clock the engine uses). */
function timedRule(trigger: TimeTrigger, late: number[]) {
  class TimedRule extends Rule {
    trigger = trigger;
    due = 0;
    triggers() {
      return [this.trigger];
    }
    action() {
      late.push(Date.now() - this.due);
    }
  }
  return TimedRule;
}

export const timers: Scenario = {
  name: 'timers',
  title: 'Timers: 1,000 time triggers due in two bursts of 500, a second apart (real clock)',
  metrics: [
    { name: 'timers.late.p50', unit: 'ms', description: 'lateness of a firing, median of the run' },
    {
      name: 'timers.late.p99',
      unit: 'ms',
      description: 'lateness of a firing, p99 of the run',
      target: { op: '<=', value: 10, judgedOn: 'median' },
    },
    {
      name: 'timers.missed',
      unit: 'count',
      description: 'triggers that did not fire within 3 s of their time',
      target: { op: '<=', value: 0, judgedOn: 'worst' },
    },
  ],
  runs: (quick) => (quick ? 3 : 5),
  async run() {
    const clock = new RealClock('UTC');
    const gateway = new LocalGateway(new SimulatedHome([bulb('bench-light')]), clock);
    const system = new RuleSystem({
      gateway,
      clock,
      place: { latitude: 52.52, longitude: 13.405 },
    });
    // Start just after a second that is a multiple of LEAD_SECONDS begins (in UTC, from midnight),
    // so every trigger below falls in one second, that of the next multiple.
    const leadMs = LEAD_SECONDS * 1000;
    await sleep(leadMs - (Date.now() % leadMs) + 20);
    const second = DateTime.fromMillis(Date.now(), { zone: 'UTC' })
      .startOf('second')
      .plus({ seconds: LEAD_SECONDS });
    const late: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < EACH; i++) {
      const at = new AbsoluteTimeTrigger(second.plus({ seconds: 1 }).toFormat('HH:mm:ss'));
      ids.push(system.addRule(timedRule(at, late), { id: `at-${i}` }));
      // Its beats fall on the multiples of its period, the first after its start: `second`.
      const beat = new HeartBeat(`${LEAD_SECONDS}s`);
      ids.push(system.addRule(timedRule(beat, late), { id: `beat-${i}` }));
    }
    await system.start();
    const due: number[] = [];
    for (const id of ids) {
      const rule = system.instance(id) as InstanceType<ReturnType<typeof timedRule>>;
      rule.due = rule.trigger.nextFire()?.toMillis() ?? Number.NaN;
      due.push(rule.due);
    }
    const instants = new Set(due);
    if (instants.size !== 2 || Math.max(...due) - Math.min(...due) !== 1000)
      throw new Error(`triggers due at ${instants.size} instants, not two bursts one second apart`);
    try {
      await waitUntil(() => late.length >= ids.length, Math.max(...due) - Date.now() + 3000);
      return {
        'timers.late.p50': percentile(late, 50),
        'timers.late.p99': percentile(late, 99),
        'timers.missed': ids.length - late.length,
      };
    } finally {
      await system.stop();
    }
  },
};
