/**
 * The bench's eyes and hands on a real gateway: one WebSocket on `/things` that sets properties
 * and stamps every value the gateway reports, the same way for a GUI rule's reaction and a code
 * rule's. Stamps are ms since the epoch (performance.timeOrigin + now), comparable with the
 * engine process's.
 */
import { performance } from 'perf_hooks';
import WebSocket from 'ws';
import type { JsonValue } from '../../src/protocol/gateway';

export const epochNow = (): number => performance.timeOrigin + performance.now();

/** One value the gateway reported. */
export interface Report {
  thingId: string;
  name: string;
  value: JsonValue;
  at: number;
}

interface Waiter {
  thingId: string;
  name: string;
  value: JsonValue;
  resolve(at: number): void;
}

export class GatewayProbe {
  // "thing id/property" -> last value reported
  private readonly values = new Map<string, JsonValue>();
  private waiters: Waiter[] = [];
  // reports kept while a caller records them (back-to-back looks at all of them)
  private recording: Report[] | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(data.toString()));
  }

  /**
   * Opens the socket with a user's token and waits for the gateway's first message: the gateway
   * attaches its message handler only after its asynchronous routing, and drops a click sent before.
   */
  static async open(base: string, jwt: string): Promise<GatewayProbe> {
    const url = new URL('things', base.endsWith('/') ? base : `${base}/`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('jwt', jwt);
    const ws = new WebSocket(url.href, { perMessageDeflate: false });
    const probe = new GatewayProbe(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('message', () => resolve());
      ws.once('error', reject);
      ws.once('close', () => reject(new Error('the probe WebSocket closed before a message')));
    });
    return probe;
  }

  /** Asks the gateway to set a property (over the socket: the fastest way a person's click takes). */
  set(thingId: string, name: string, value: JsonValue): void {
    this.ws.send(
      JSON.stringify({ messageType: 'setProperty', id: thingId, data: { [name]: value } })
    );
  }

  value(thingId: string, name: string): JsonValue | undefined {
    return this.values.get(`${thingId}/${name}`);
  }

  /** Resolves with the stamp of the next report of `value` (at once, stamped now, if it is the last one). */
  until(thingId: string, name: string, value: JsonValue, timeoutMs = 5000): Promise<number> {
    if (this.value(thingId, name) === value) return Promise.resolve(epochNow());
    return this.next(thingId, name, value, timeoutMs);
  }

  /** Resolves with the stamp of the next report of `value`, even if it is the last one already. */
  next(thingId: string, name: string, value: JsonValue, timeoutMs = 5000): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `${thingId} ${name} did not become ${JSON.stringify(value)} within ${timeoutMs} ms`
          )
        );
      }, timeoutMs);
      const waiter: Waiter = {
        thingId,
        name,
        value,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Keeps every report from now on in the returned array, until stopRecording(). */
  record(): Report[] {
    this.recording = [];
    return this.recording;
  }

  stopRecording(): void {
    this.recording = undefined;
  }

  close(): void {
    this.ws.close();
  }

  private receive(text: string): void {
    const at = epochNow();
    const message = JSON.parse(text) as { messageType: string; id?: string; data?: unknown };
    if (message.messageType !== 'propertyStatus' || typeof message.id !== 'string') return;
    const data = message.data as Record<string, JsonValue>;
    for (const name of Object.keys(data)) {
      this.values.set(`${message.id}/${name}`, data[name]);
      this.recording?.push({ thingId: message.id, name, value: data[name], at });
      const due = this.waiters.filter(
        (w) => w.thingId === message.id && w.name === name && w.value === data[name]
      );
      if (due.length === 0) continue;
      this.waiters = this.waiters.filter((w) => !due.includes(w));
      for (const waiter of due) waiter.resolve(at);
    }
  }
}
