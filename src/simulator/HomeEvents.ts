/** What a SimulatedHome tells its listeners (the LocalGateway and the SimulatorServer), as one typed map. */
import { EventEmitter } from 'events';
import { JsonValue } from '../protocol/gateway';

/** One requested action, shaped as the gateway's `actionStatus` message data. */
export interface ActionRecord {
  /** Unique within the home: "1", "2", … */
  id: string;
  name: string;
  input?: JsonValue;
  status: 'pending' | 'completed';
  href: string;
  timeRequested: string;
  timeCompleted?: string;
}

export interface HomeEvents {
  /** A property took a new value (from a device or a client write); unchanged values are silent. */
  propertyChanged: { thingId: string; name: string; value: JsonValue };
  event: { thingId: string; name: string; data: JsonValue | undefined; timestamp: string };
  actionStatus: { thingId: string; action: ActionRecord };
  thingAdded: { thingId: string };
  thingModified: { thingId: string };
  thingRemoved: { thingId: string };
  connected: { thingId: string; connected: boolean };
}

/** A typed EventEmitter keyed by HomeEvents. */
export class HomeEmitter extends EventEmitter {
  override emit<K extends keyof HomeEvents>(event: K, payload: HomeEvents[K]): boolean {
    return super.emit(event, payload);
  }
  override on<K extends keyof HomeEvents>(event: K, listener: (p: HomeEvents[K]) => void): this {
    return super.on(event, listener);
  }
  override off<K extends keyof HomeEvents>(event: K, listener: (p: HomeEvents[K]) => void): this {
    return super.off(event, listener);
  }
}
