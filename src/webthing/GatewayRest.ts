/** The gateway's Web Thing REST API: one method per call, each with the token, a JSON Accept header and a timeout. */
import http from 'http';
import https from 'https';
import type { Clock } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import { GatewayAuthError, GatewayHttpError, scrub } from './errors';

// Commands to one gateway share a few kept-alive connections and queue for them: a burst of
// commands to many things must not open a connection each (1,000 at once overflow the gateway's
// listen backlog, and a dropped SYN waits a second before it is sent again).
const MAX_SOCKETS = 64;

export interface GatewayRestOptions {
  /** The gateway's base URL, ending in "/" ("http://127.0.0.1:8080/"). */
  base: URL;
  token: string;
  /** Accept a self-signed HTTPS certificate (the gateway's default one); never true by accident. */
  acceptSelfSigned: boolean;
  timeoutMs: number;
  clock: Clock;
}

export class GatewayRest {
  readonly base: URL;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  // keepAlive: reaction latency must not pay a TCP (or TLS) handshake per PUT.
  private readonly agent: http.Agent;
  private readonly headers: Record<string, string>;
  // every request in flight, so destroy() can abort them all
  private readonly inFlight = new Set<http.ClientRequest>();
  private destroyed = false;

  constructor(options: GatewayRestOptions) {
    this.base = options.base;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs;
    this.clock = options.clock;
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            maxSockets: MAX_SOCKETS,
            rejectUnauthorized: !options.acceptSelfSigned,
          })
        : new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
    this.headers = {
      Authorization: `Bearer ${this.token}`,
      // Without it the gateway answers /things URLs with the web UI's HTML.
      Accept: 'application/json',
    };
  }

  /** The gateway's URL as shown in messages: origin and path, never credentials. */
  get displayUrl(): string {
    return `${this.base.origin}${this.base.pathname.replace(/\/$/, '')}`;
  }

  /** `GET /things`: every thing description. */
  getThings(): Promise<unknown> {
    return this.getJson(new URL('things', this.base));
  }

  /** `GET /things/<id>`: one thing description. */
  getThing(url: URL): Promise<unknown> {
    return this.getJson(url);
  }

  /** `GET /things/<id>/properties`: `{ name: value, … }`. */
  getProperties(url: URL): Promise<unknown> {
    return this.getJson(url);
  }

  /** `GET /things/<id>/properties/<name>`: the bare JSON value. */
  getProperty(url: URL): Promise<unknown> {
    return this.getJson(url);
  }

  /** `PUT /things/<id>/properties/<name>` with the bare JSON value (`{"on":true}` would be refused with 400). */
  async putProperty(url: URL, value: JsonValue): Promise<void> {
    await this.request('PUT', url, JSON.stringify(value));
  }

  /** `POST /things/<id>/actions/<name>` with the bare input, `{}` when there is none (as the gateway UI sends). */
  async postAction(url: URL, input: JsonValue | undefined): Promise<void> {
    await this.request('POST', url, JSON.stringify(input === undefined ? {} : input));
  }

  /** Aborts every request in flight and closes the kept-alive sockets. */
  destroy(): void {
    this.destroyed = true;
    for (const request of this.inFlight) request.destroy();
    this.inFlight.clear();
    this.agent.destroy();
  }

  private async getJson(url: URL): Promise<unknown> {
    const text = await this.request('GET', url);
    try {
      return JSON.parse(text);
    } catch {
      throw new GatewayHttpError('GET', this.show(url), 'badJson', 'the answer is not JSON');
    }
  }

  /**
   * Sends one request and returns the body of a 2xx answer; throws GatewayAuthError or
   * GatewayHttpError. Plain node:http: node-fetch cost twice the CPU per command (bench/).
   */
  private request(method: string, url: URL, body?: string): Promise<string> {
    const shown = this.show(url);
    if (this.destroyed) {
      return Promise.reject(
        new GatewayHttpError(method, shown, 'closed', 'the gateway connection was closed')
      );
    }
    return new Promise<string>((resolve, reject) => {
      let timedOut = false;
      let settled = false;
      const settle = (error: Error | undefined, text = ''): void => {
        if (settled) return;
        settled = true;
        cancelTimer();
        this.inFlight.delete(request);
        if (error) reject(error);
        else resolve(text);
      };
      // Why a request ended without an answer: our timer, destroy(), or the network.
      const failure = (error: Error): Error => {
        if (timedOut) {
          return new GatewayHttpError(
            method,
            shown,
            'timeout',
            `no answer within ${this.timeoutMs} ms`
          );
        }
        if (this.destroyed) {
          return new GatewayHttpError(method, shown, 'closed', 'the gateway connection was closed');
        }
        return new GatewayHttpError(method, shown, 'network', scrub(error.message, this.token));
      };
      const headers =
        body === undefined
          ? this.headers
          : {
              ...this.headers,
              'Content-Type': 'application/json',
              'Content-Length': String(Buffer.byteLength(body)),
            };
      const onResponse = (response: http.IncomingMessage): void => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => settle(failure(error)));
        response.on('aborted', () => settle(failure(new Error('the answer was cut off'))));
        response.on('end', () => {
          try {
            const text = Buffer.concat(chunks).toString('utf8');
            this.checkStatus(method, shown, response.statusCode ?? 0, response.headers, text);
            settle(undefined, text);
          } catch (error) {
            settle(error as Error);
          }
        });
      };
      const transport = url.protocol === 'https:' ? https : http;
      let request: http.ClientRequest;
      try {
        request = transport.request(url, { method, headers, agent: this.agent }, onResponse);
      } catch (error) {
        // Bad options (a header node refuses) throw at once; report them as the network errors they replace.
        settled = true;
        reject(failure(error as Error));
        return;
      }
      request.on('error', (error) => settle(failure(error)));
      // The timer covers connecting, the headers and the body: a gateway can hang in any of them.
      const cancelTimer = this.clock.after(this.timeoutMs, () => {
        timedOut = true;
        request.destroy();
      });
      this.inFlight.add(request);
      // Redirects are not followed (node:http never does): the token must not travel elsewhere.
      request.end(body);
    });
  }

  /** Throws for an answer that is not a 2xx: GatewayAuthError for 401/403, else GatewayHttpError. */
  private checkStatus(
    method: string,
    shown: string,
    status: number,
    headers: http.IncomingHttpHeaders,
    text: string
  ): void {
    if (status === 401 || status === 403) {
      throw new GatewayAuthError(this.displayUrl, status);
    }
    if (status >= 300 && status <= 399) {
      const location = headers.location ?? 'elsewhere';
      throw new GatewayHttpError(
        method,
        shown,
        'status',
        `HTTP ${status}: the gateway redirects to ${scrub(location, this.token)}; use that address`,
        status
      );
    }
    if (status < 200 || status > 299) {
      const said = scrub(text.trim(), this.token).slice(0, 200);
      throw new GatewayHttpError(
        method,
        shown,
        'status',
        `HTTP ${status}${said ? ` ${said}` : ''}`,
        status
      );
    }
  }

  private show(url: URL): string {
    return `${url.origin}${url.pathname}`;
  }
}
