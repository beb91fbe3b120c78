/** The gateway's Web Thing REST API: one method per call, each with the token, a JSON Accept header and a timeout. */
import http from 'http';
import https from 'https';
import fetch from 'node-fetch';
import type { Clock } from '../clock';
import type { JsonValue } from '../engine/gateway';
import { GatewayAuthError, GatewayHttpError, scrub } from './errors';

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
  // one controller per request in flight, so destroy() can abort them all
  private readonly inFlight = new Set<AbortController>();
  private destroyed = false;

  constructor(options: GatewayRestOptions) {
    this.base = options.base;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs;
    this.clock = options.clock;
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, rejectUnauthorized: !options.acceptSelfSigned })
        : new http.Agent({ keepAlive: true });
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
    for (const controller of this.inFlight) controller.abort();
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

  /** Sends one request and returns the body of a 2xx answer; throws GatewayAuthError or GatewayHttpError. */
  private async request(method: string, url: URL, body?: string): Promise<string> {
    const shown = this.show(url);
    if (this.destroyed) {
      throw new GatewayHttpError(method, shown, 'closed', 'the gateway connection was closed');
    }
    const controller = new AbortController();
    let timedOut = false;
    // The timer covers connecting, the headers and the body: a gateway can hang in any of them.
    const cancelTimer = this.clock.after(this.timeoutMs, () => {
      timedOut = true;
      controller.abort();
    });
    this.inFlight.add(controller);
    try {
      const response = await fetch(url.href, {
        method,
        headers:
          body === undefined
            ? this.headers
            : { ...this.headers, 'Content-Type': 'application/json' },
        body,
        agent: this.agent,
        signal: controller.signal,
        redirect: 'manual',
      });
      const text = await response.text();
      if (response.status === 401 || response.status === 403) {
        throw new GatewayAuthError(this.displayUrl, response.status);
      }
      if (response.status >= 300 && response.status <= 399) {
        // Not followed: the token must not travel to wherever a redirect points.
        const location = response.headers.get('location') ?? 'elsewhere';
        throw new GatewayHttpError(
          method,
          shown,
          'status',
          `HTTP ${response.status}: the gateway redirects to ${scrub(location, this.token)}; use that address`,
          response.status
        );
      }
      if (response.status < 200 || response.status > 299) {
        const said = scrub(text.trim().slice(0, 200), this.token);
        throw new GatewayHttpError(
          method,
          shown,
          'status',
          `HTTP ${response.status}${said ? ` ${said}` : ''}`,
          response.status
        );
      }
      return text;
    } catch (error) {
      if (error instanceof GatewayAuthError || error instanceof GatewayHttpError) throw error;
      if (timedOut) {
        throw new GatewayHttpError(
          method,
          shown,
          'timeout',
          `no answer within ${this.timeoutMs} ms`
        );
      }
      if (this.destroyed) {
        throw new GatewayHttpError(method, shown, 'closed', 'the gateway connection was closed');
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new GatewayHttpError(method, shown, 'network', scrub(message, this.token));
    } finally {
      cancelTimer();
      this.inFlight.delete(controller);
    }
  }

  private show(url: URL): string {
    return `${url.origin}${url.pathname}`;
  }
}
