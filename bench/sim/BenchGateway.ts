/**
 * The simulator as the scenarios use it: a SimulatorServer on 127.0.0.1 (port 0) over a home of
 * bench things, with every client write timestamped where the simulator handles it.
 */
import { randomBytes } from 'crypto';
import { performance } from 'perf_hooks';
import type { JsonValue } from '../../src/protocol/gateway';
import { SimulatedHome, SimulatorServer, ThingSpec } from '../../src/simulator';

/** A client's write as it reached the simulated device. */
export interface Arrival {
  thingId: string;
  name: string;
  value: JsonValue;
  /** performance.now() in this process when the simulator's handler took it. */
  at: number;
}

export class BenchGateway {
  readonly token = randomBytes(16).toString('hex');
  readonly home: SimulatedHome;
  private readonly server: SimulatorServer;
  private listener: ((arrival: Arrival) => void) | undefined;

  constructor(things: ThingSpec[]) {
    this.home = new SimulatedHome(things);
    // Wrapped on this instance only: the handler of every PUT (and WebSocket setProperty) calls it.
    const write = this.home.writeProperty.bind(this.home);
    this.home.writeProperty = (thingId, name, value) => {
      const at = performance.now();
      write(thingId, name, value);
      this.listener?.({ thingId, name, value, at });
    };
    this.server = new SimulatorServer({ token: this.token, home: this.home });
  }

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    await this.server.start(0);
    return this;
  }

  /** Hears every write a client makes (one listener: the scenario's). */
  onArrival(listener: ((arrival: Arrival) => void) | undefined): void {
    this.listener = listener;
  }

  /** Changes a device's property as the device itself would (the start of a measured reaction). */
  deviceSets(thingId: string, name: string, value: JsonValue): void {
    this.home.setProperty(thingId, name, value);
  }

  stop(): Promise<void> {
    this.listener = undefined;
    return this.server.stop();
  }
}
