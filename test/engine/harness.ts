/** A rule system on a virtual clock over the simulator's in-process gateway with the seed's devices. */
import { VirtualClock } from '../../src/clock';
import type { JsonValue } from '../../src/protocol/gateway';
import type { FiringRecord, RuleInfo } from '../../src/engine/messages';
import { Rule } from '../../src/engine/Rule';
import { RuleSystem, RuleSystemOptions } from '../../src/engine/RuleSystem';
import { LocalGateway, seedHome, SimulatedHome } from '../../src/simulator';

export interface Harness {
  clock: VirtualClock;
  home: SimulatedHome;
  gateway: LocalGateway;
  system: RuleSystem;
  /** Every setProperty the engine sent, as "thing-id name=value". */
  commands: string[];
  logs: string[];
  fired: FiringRecord[];
  info(id: string): RuleInfo;
  /** Sets a value as a person in the gateway UI would, and lets the engine react. */
  userSets(thingId: string, name: string, value: JsonValue): Promise<void>;
  /** Lets queued deliveries and promise chains settle without moving time. */
  settle(): Promise<void>;
}

export const BERLIN = { latitude: 52.52, longitude: 13.405 };

export function harness(
  start = '2027-06-14T08:00',
  loopGuard: RuleSystemOptions['loopGuard'] = {}
): Harness {
  const clock = new VirtualClock(start, 'Europe/Berlin');
  const home = seedHome(clock);
  const gateway = new LocalGateway(home, clock);
  const commands: string[] = [];
  const send = gateway.setProperty.bind(gateway);
  gateway.setProperty = (thingId, name, value) => {
    commands.push(`${thingId} ${name}=${JSON.stringify(value)}`);
    return send(thingId, name, value);
  };
  const logs: string[] = [];
  const system = new RuleSystem({
    gateway,
    clock,
    place: BERLIN,
    loopGuard,
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  const fired: FiringRecord[] = [];
  system.on('fired', (record) => fired.push(record));
  const settle = () => clock.advance(0);
  return {
    clock,
    home,
    gateway,
    system,
    commands,
    logs,
    fired,
    info: (id) => {
      const info = system.rule(id);
      if (!info) throw new Error(`no rule ${id}`);
      return info;
    },
    userSets: async (thingId, name, value) => {
      home.writeProperty(thingId, name, value);
      await settle();
    },
    settle,
  };
}

/** A rule with no triggers, whose `this.things` and `this.thing()` the tests look at. */
export class Probe extends Rule {}

/** A started harness with one Probe rule in it. */
export async function startedProbe(): Promise<Harness & { rule: Probe }> {
  const h = harness();
  h.system.addRule(Probe, { id: 'probe' });
  await h.system.start();
  return { ...h, rule: h.system.instance('probe') as Probe };
}
