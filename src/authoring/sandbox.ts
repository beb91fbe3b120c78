/** A throwaway home for checking and dry-running rules: a virtual clock, a simulated home (the seed's, or a snapshot of a real gateway's things), its in-process gateway and a RuleSystem over them. */
import { DateTime } from 'luxon';
import { systemZone, VirtualClock } from '../clock';
import type { JsonValue, PropertyDescription, ThingState } from '../protocol/gateway';
import { RuleSystem } from '../engine/RuleSystem';
import { LocalGateway, seedHome, SimulatedHome, validateValue } from '../simulator';
import type { PropertySpec, ThingSpec } from '../simulator';
import type { Place } from '../triggers/Trigger';

/** Berlin, the place of the seed's author's examples; used when no place is given. */
export const DEFAULT_PLACE: Place = { latitude: 52.52, longitude: 13.405 };

export interface SandboxOptions {
  /** Where the clock starts: ISO local time in `zone` ("2027-03-26T00:00") or epoch ms; default now. */
  from?: string | number;
  /** IANA time zone; default this machine's. */
  zone?: string;
  place?: Place;
  /** The things and values to use instead of the seed's home (a snapshot of a real gateway). */
  things?: ThingState[];
}

export interface Sandbox {
  clock: VirtualClock;
  home: SimulatedHome;
  gateway: LocalGateway;
  system: RuleSystem;
  place: Place;
  /** Every warn/error log line of the RuleSystem, in order. */
  logs: { level: string; message: string; at: number }[];
}

/**
 * Builds the sandbox; nothing is started (call `system.start()`). Writes reach only the
 * simulated home, never a real gateway, even when its things came from one.
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const zone = options.zone ?? systemZone();
  const clock = new VirtualClock(options.from ?? DateTime.now().toMillis(), zone);
  const home = options.things ? homeFromSnapshot(options.things, clock) : seedHome(clock);
  const gateway = new LocalGateway(home, clock);
  const place = options.place ?? DEFAULT_PLACE;
  const logs: Sandbox['logs'] = [];
  const system = new RuleSystem({
    gateway,
    clock,
    place,
    log: (level, message) => {
      if (level === 'warn' || level === 'error') logs.push({ level, message, at: clock.nowMs() });
    },
  });
  return { clock, home, gateway, system, place, logs };
}

/**
 * A simulated home holding a snapshot of a gateway's things. A value the simulator would refuse
 * (unknown yet, or outside what the description allows) is replaced by a plausible one, so a
 * device in an odd state does not stop the dry run.
 */
export function homeFromSnapshot(states: ThingState[], clock: VirtualClock): SimulatedHome {
  const specs: ThingSpec[] = states.map(({ description, values }) => {
    const properties: Record<string, PropertySpec> = {};
    for (const [name, property] of Object.entries(description.properties ?? {})) {
      // The forms point at the real gateway; the simulated home makes its own.
      const rest: PropertyDescription = { ...property };
      delete rest.forms;
      delete rest.links;
      const value = values[name];
      const usable = value !== undefined && validateValue(rest, value) === null;
      properties[name] = { ...rest, value: usable ? value : plausibleValue(rest) };
    }
    return {
      id: description.id,
      title: description.title,
      '@type': description['@type'],
      description: description.description,
      properties,
      actions: description.actions,
      events: description.events,
    };
  });
  return new SimulatedHome(specs, clock);
}

/** A value any device with this description could report. */
function plausibleValue(property: PropertyDescription): JsonValue {
  if (property.enum && property.enum.length > 0) return property.enum[0];
  switch (property.type) {
    case 'boolean':
      return false;
    case 'integer':
    case 'number': {
      const low = property.minimum ?? 0;
      return property.maximum !== undefined && low > property.maximum ? property.maximum : low;
    }
    case 'string':
      return property['@type'] === 'ColorProperty' ? '#ffffff' : '';
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return null;
  }
}
