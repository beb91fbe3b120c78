/** Helpers for tests over the simulator's real sockets: a started server, authenticated fetch, a recording WebSocket. */
import fetch, { RequestInit, Response } from 'node-fetch';
import WebSocket from 'ws';
import { SimulatorServer } from '../../src/simulator';

export const TOKEN = 'test-token-0123456789';

export interface Message {
  messageType: string;
  id?: string;
  data: unknown;
}

export async function startServer(): Promise<SimulatorServer> {
  const server = new SimulatorServer({ token: TOKEN });
  await server.start();
  return server;
}

/** A request as a well-behaved client sends it: bearer token and Accept: application/json. */
export function api(
  server: SimulatorServer,
  path: string,
  init: RequestInit = {}
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      Accept: 'application/json',
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(init.headers as Record<string, string>),
    },
  });
}

/** A WebSocket client that keeps every message and can wait for the ones a test expects. */
export class Client {
  readonly messages: Message[] = [];
  private waiters: (() => void)[] = [];
  closeCode?: number;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Message);
      this.waiters.forEach((wake) => wake());
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.waiters.forEach((wake) => wake());
    });
  }

  static open(
    server: SimulatorServer,
    path = '/things',
    token: string | null = TOKEN
  ): Promise<Client> {
    const query = token === null ? '' : `?jwt=${token}`;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}${query}`);
    const client = new Client(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Resolves once `done` holds for the messages so far (or the socket closed); fails after 5 s. */
  until(
    done: (messages: Message[]) => boolean,
    what = 'the expected messages'
  ): Promise<Message[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (done(this.messages) || this.closeCode !== undefined) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(this.messages);
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(
          new Error(
            `Timed out waiting for ${what}; last messages ${JSON.stringify(this.messages.slice(-3))}`
          )
        );
      }, 5000);
      this.waiters.push(check);
      check();
    });
  }

  /** Waits for the first message of a type after the `from`th message. */
  async next(messageType: string, from = 0): Promise<Message> {
    const found = (ms: Message[]): Message | undefined =>
      ms.slice(from).find((m) => m.messageType === messageType);
    await this.until((ms) => found(ms) !== undefined, `a ${messageType} message`);
    const message = found(this.messages);
    if (!message) throw new Error(`The socket closed before a ${messageType} message`);
    return message;
  }

  close(): void {
    this.ws.close();
  }
}
