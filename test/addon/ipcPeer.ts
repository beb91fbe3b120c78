/**
 * A test peer that plays the gateway's PluginServer on 127.0.0.1: it answers the plugin's
 * register request as the gateway does, records every message, and validates each one against
 * the JSON schemas that gateway-addon ships, so a malformed message fails the test.
 */
import fs from 'fs';
import path from 'path';
import type { AddressInfo } from 'net';
import WebSocket, { WebSocketServer } from 'ws';
import { Constants } from 'gateway-addon';

export const MessageType = Constants.MessageType;

/** An ajv validator; typed here so the test does not depend on any ajv's type declarations. */
type ValidateFunction = ((data: unknown) => boolean) & { errors?: unknown };

export interface IpcMessage {
  messageType: number;
  data: Record<string, unknown>;
}

// The ajv that gateway-addon itself validates with (ours would be webthing's older one).
const gatewayAddonDir = path.dirname(require.resolve('gateway-addon/package.json'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AjvClass = require(require.resolve('ajv', { paths: [gatewayAddonDir] })).default;

/** One validator per message type, built from node_modules/gateway-addon/schema as IpcSocket does. */
function loadValidators(): Map<number, ValidateFunction> {
  const dir = path.join(gatewayAddonDir, 'schema');
  const schemas = [
    JSON.parse(fs.readFileSync(path.join(dir, 'schema.json'), 'utf8')),
    ...fs
      .readdirSync(path.join(dir, 'messages'))
      .map((name) => JSON.parse(fs.readFileSync(path.join(dir, 'messages', name), 'utf8'))),
  ];
  const ajv = new AjvClass({ schemas, strict: false });
  const validators = new Map<number, ValidateFunction>();
  for (const schema of schemas) {
    const type = schema?.properties?.messageType?.const;
    if (typeof type === 'number') validators.set(type, ajv.getSchema(schema.$id));
  }
  return validators;
}

/** An API handler's answer as it crosses the IPC (gateway-addon APIResponse.asDict()). */
export interface ApiResponse {
  status: number;
  contentType?: string | null;
  content?: string | null;
}

export class IpcPeer {
  /** Every message the add-on sent, in order. */
  readonly received: IpcMessage[] = [];
  /** One line per message that did not match its schema. */
  readonly invalid: string[] = [];
  private readonly validators = loadValidators();
  private server?: WebSocketServer;
  private socket?: WebSocket;
  private waiters: { test: (m: IpcMessage) => boolean; resolve: (m: IpcMessage) => void }[] = [];
  private apiMessageId = 0;

  constructor(
    private readonly profile: { dataDir: string; baseDir: string },
    private readonly pluginId = 'rule-things'
  ) {}

  /** Listens on an ephemeral port of 127.0.0.1; resolves to the port. */
  async listen(): Promise<number> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.server = server;
    await new Promise<void>((resolve) => server.once('listening', resolve));
    server.on('connection', (ws) => {
      this.socket = ws;
      ws.on('message', (data) => this.onData(data.toString()));
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const client of this.server?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve()
    );
  }

  /** Sends a gateway → plugin message; `pluginId` and `adapterId` are filled in. */
  send(messageType: number, data: Record<string, unknown> = {}): void {
    this.sendRaw(messageType, { adapterId: this.pluginId, ...data });
  }

  /** Sends a gateway → plugin message with `pluginId` filled in (API handler messages have no adapter). */
  sendRaw(messageType: number, data: Record<string, unknown>): void {
    const message = { messageType, data: { pluginId: this.pluginId, ...data } };
    this.check(message, 'sent');
    this.socket?.send(JSON.stringify(message));
  }

  /** The first message (already received or still to come) that passes `test`. */
  waitFor(test: (m: IpcMessage) => boolean, timeoutMs = 10_000): Promise<IpcMessage> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return this.next(test, timeoutMs);
  }

  /** The next message from now on that passes `test`. */
  next(test: (m: IpcMessage) => boolean, timeoutMs = 10_000): Promise<IpcMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`IpcPeer: no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (m: IpcMessage) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push({ test, resolve: done });
    });
  }

  /**
   * Sends an HTTP request to the add-on's API handler as the gateway's extensions controller
   * does (method, path relative to /extensions/<id>/api, query, parsed JSON body) and resolves
   * to its response.
   */
  async apiRequest(
    method: string,
    requestPath: string,
    body: Record<string, unknown> = {},
    query: Record<string, unknown> = {}
  ): Promise<ApiResponse> {
    const messageId = ++this.apiMessageId;
    const answered = this.next(
      (m) =>
        m.messageType === MessageType.API_HANDLER_API_RESPONSE && m.data.messageId === messageId
    );
    this.sendRaw(MessageType.API_HANDLER_API_REQUEST, {
      packageName: this.pluginId,
      messageId,
      request: { method, path: requestPath, query, body },
    });
    return (await answered).data.response as ApiResponse;
  }

  /** Every message of one type. */
  all(messageType: number): IpcMessage[] {
    return this.received.filter((m) => m.messageType === messageType);
  }

  /** Forgets what was received (between two starts of the add-on). */
  clear(): void {
    this.received.length = 0;
  }

  private onData(text: string): void {
    const message = JSON.parse(text) as IpcMessage;
    this.check(message, 'received');
    if (message.messageType === MessageType.PLUGIN_REGISTER_REQUEST) {
      // As the gateway's PluginServer answers (src/plugin/plugin-server.ts).
      this.socket?.send(
        JSON.stringify({
          messageType: MessageType.PLUGIN_REGISTER_RESPONSE,
          data: {
            pluginId: message.data.pluginId,
            gatewayVersion: '2.1.0',
            userProfile: {
              addonsDir: path.join(this.profile.baseDir, 'addons'),
              baseDir: this.profile.baseDir,
              configDir: path.join(this.profile.baseDir, 'config'),
              dataDir: this.profile.dataDir,
              mediaDir: path.join(this.profile.baseDir, 'media'),
              logDir: path.join(this.profile.baseDir, 'log'),
              gatewayDir: path.join(this.profile.baseDir, 'gateway'),
            },
            preferences: { language: 'en-US', units: { temperature: 'degree celsius' } },
          },
        })
      );
    }
    this.received.push(message);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(message)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(message);
      }
    }
  }

  private check(message: IpcMessage, direction: string): void {
    const validate = this.validators.get(message.messageType);
    if (!validate) {
      this.invalid.push(`${direction} unknown messageType ${message.messageType}`);
    } else if (!validate(message)) {
      this.invalid.push(
        `${direction} messageType ${message.messageType}: ${JSON.stringify(validate.errors)}`
      );
    }
  }
}
