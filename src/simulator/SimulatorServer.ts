/** A gateway-shaped HTTP + WebSocket server on 127.0.0.1 over a SimulatedHome, speaking WebThings Gateway 2.1's API. */
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { Duplex } from 'stream';
import { WebSocketServer } from 'ws';
import { Clock } from '../clock';
import { Demo, DemoOptions } from './Demo';
import { isApiRequest, presentedToken, sendAppPage, sendJson, tokenMatches } from './http';
import { RestApi } from './restApi';
import { seedHome } from './seedHome';
import { SimulatedHome } from './SimulatedHome';
import { ThingSocket } from './ThingSocket';

// The simulator is a local tool: it never listens beyond this machine.
const HOST = '127.0.0.1';
// Client messages are small JSON objects; a larger one is refused rather than buffered.
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface SimulatorServerOptions {
  /** The bearer token clients must present; it is never logged or echoed. */
  token: string;
  /** The home to serve; the seed's devices if omitted. */
  home?: SimulatedHome;
  /** Port for `start()`; 0 (the default) picks a free one. */
  port?: number;
  /** Told, in words, of refused requests and of the demo's doings. */
  log?: (line: string) => void;
}

export class SimulatorServer {
  readonly home: SimulatedHome;
  private readonly rest: RestApi;
  private readonly log: (line: string) => void;
  private server?: Server;
  private sockets?: WebSocketServer;
  private demo?: Demo;
  private listeningPort = 0;

  constructor(private readonly options: SimulatorServerOptions) {
    if (!options.token) throw new Error('SimulatorServer needs a token');
    this.home = options.home ?? seedHome();
    this.rest = new RestApi(this.home);
    this.log = options.log ?? (() => undefined);
  }

  /** The port it listens on, or 0 when stopped. */
  get port(): number {
    return this.listeningPort;
  }

  /** "http://127.0.0.1:<port>" */
  get url(): string {
    return `http://${HOST}:${this.listeningPort}`;
  }

  /** Starts listening on 127.0.0.1 (again, after `stop`, to simulate a gateway restart); resolves to the port. */
  async start(port = this.options.port ?? 0): Promise<number> {
    if (this.server) throw new Error(`The simulator is already listening on port ${this.port}`);
    const server = createServer((request, response) => void this.onRequest(request, response));
    const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    server.on('upgrade', (request, socket, head) => this.onUpgrade(request, socket, head));
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    this.listeningPort = typeof address === 'object' && address ? address.port : port;
    this.server = server;
    this.sockets = sockets;
    return this.listeningPort;
  }

  /** Closes every connection and the listener, and stops the demo; safe to call twice. */
  async stop(): Promise<void> {
    this.stopDemo();
    const { server, sockets } = this;
    this.server = undefined;
    this.sockets = undefined;
    this.listeningPort = 0;
    if (!server || !sockets) return;
    for (const client of sockets.clients) client.terminate();
    sockets.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Presses buttons and toggles motion on `clock`'s timers, so rules visibly react. */
  startDemo(clock: Clock, options: DemoOptions = {}): void {
    this.stopDemo();
    this.demo = new Demo(this.home, clock, { log: this.log, ...options });
    this.demo.start();
  }

  stopDemo(): void {
    this.demo?.stop();
    this.demo = undefined;
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', this.url);
      // The gateway serves its web app to anything that does not ask for JSON, before any auth.
      if (!isApiRequest(request)) return sendAppPage(response);
      if (!tokenMatches(presentedToken(request, url), this.options.token)) {
        this.log(`simulator: refused ${request.method} ${url.pathname}: missing or wrong token`);
        response.setHeader('WWW-Authenticate', 'Bearer');
        return sendJson(response, 401, { error: 'Unauthorized' });
      }
      const origin = `http://${request.headers.host ?? `${HOST}:${this.port}`}`;
      await this.rest.handle(request, response, url, origin);
    } catch (error) {
      if (!response.headersSent) sendJson(response, 500, { error: (error as Error).message });
      else response.destroy();
    }
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const sockets = this.sockets;
    const url = new URL(request.url ?? '/', this.url);
    const match = /^\/things(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!sockets || !match) {
      socket.destroy();
      return;
    }
    let thingId: string | undefined;
    try {
      thingId = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    } catch {
      socket.destroy();
      return;
    }
    const allowed = tokenMatches(presentedToken(request, url), this.options.token);
    sockets.handleUpgrade(request, socket, head, (ws) => {
      if (!allowed) {
        // As the gateway: the upgrade succeeds, then the socket closes at once without a word.
        this.log(`simulator: refused WebSocket ${url.pathname}: missing or wrong token`);
        ws.on('error', () => undefined);
        ws.close();
        return;
      }
      new ThingSocket(ws, this.home, thingId).start();
    });
  }
}
