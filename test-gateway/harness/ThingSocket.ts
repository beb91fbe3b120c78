/** A WebSocket to the gateway's Web Thing API (`/things` or `/things/<id>`) that records every message. */
import WebSocket from 'ws';
import { waitFor } from './waitFor';

export interface ThingMessage {
  id?: string;
  messageType: string;
  data?: unknown;
}

export class ThingSocket {
  /** Every message received so far, oldest first. */
  readonly messages: ThingMessage[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => this.messages.push(JSON.parse(String(raw)) as ThingMessage));
  }

  /**
   * Opens the socket and waits for the gateway's first message: the gateway attaches its message
   * handler only after its asynchronous routing, and drops what is sent to it before.
   */
  static async open(url: string, jwt: string): Promise<ThingSocket> {
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${jwt}` } });
    const socket = new ThingSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('message', () => resolve());
      ws.once('error', reject);
      ws.once('close', () => reject(new Error(`the WebSocket ${url} closed before a message`)));
    });
    return socket;
  }

  send(message: ThingMessage): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The first message (counting from `from`, an index into `messages`) that `match` accepts. */
  next(match: (m: ThingMessage) => boolean, timeoutMs = 10_000, from = 0): Promise<ThingMessage> {
    return waitFor(
      () => this.messages.slice(from).find(match),
      timeoutMs,
      'a matching WebSocket message'
    );
  }

  close(): void {
    this.ws.close();
  }
}
