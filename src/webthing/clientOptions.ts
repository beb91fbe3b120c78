/** What a WebThingClient is told: the gateway, the token, timeouts, and the hooks bench/ uses. */
import type { Clock } from '../clock';
import type { BackoffOptions } from './Backoff';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface WebThingClientOptions {
  /** The gateway's address, http or https ("http://127.0.0.1:8080"). */
  gatewayUrl: string;
  /** A local authorization from Settings → Developer; it never appears in any message or log. */
  token: string;
  /** Accept a self-signed certificate on https (the gateway's own); off unless asked for. */
  acceptSelfSigned?: boolean;
  /** Limit for each HTTP request and the WebSocket handshake (default 10 s). */
  requestTimeoutMs?: number;
  /** Reconnect delays (default: 500 ms doubling up to 30 s, full jitter). */
  backoff?: BackoffOptions;
  /** Ping a WebSocket silent this long, reconnect if the next period is silent too (default 45 s; 0 disables). */
  idleTimeoutMs?: number;
  /** Largest WebSocket message accepted (default 4 MiB); a bigger one costs a reconnect, not the heap. */
  maxPayloadBytes?: number;
  /** Failed attempts after which connect() rejects (default: keep trying until close()). */
  connectAttempts?: number;
  /** Timers and "now" (default: the real clock); must be a real clock outside tests. */
  clock?: Clock;
  logger?: (level: LogLevel, message: string) => void;
  /**
   * Where property writes go: 'socket' (default) sends them over the open WebSocket and REST only
   * while it is down; 'rest' always PUTs (bench/ compares the two).
   */
  commandChannel?: 'socket' | 'rest';
  /** Timing hooks for bench/; off unless given. */
  trace?: ClientTrace;
}

/** Where bench/ times the engine's share of a reaction: from a message in to its command out. */
export interface ClientTrace {
  /** A WebSocket message arrived; called before it is parsed. */
  messageIn?(): void;
  /** A command was handed to the WebSocket or to node's http client (its bytes go out on the next tick). */
  commandOut?(thingId: string, name: string): void;
}

/** The gateway's base URL (its path ending in "/"), or an error naming what is wrong with it. */
export function parseGatewayUrl(gatewayUrl: string): URL {
  let url: URL;
  try {
    url = new URL(gatewayUrl);
  } catch {
    throw new Error(
      `Invalid gateway URL: "${String(gatewayUrl).slice(0, 100)}" (expected e.g. http://127.0.0.1:8080)`
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Invalid gateway URL: "${url.protocol}" is not http: or https:`);
  }
  // Relative URLs resolve under a base only when its path ends in "/" (a gateway behind a path prefix).
  const base = new URL(
    `${url.origin}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`
  );
  return base;
}

/** The options with their defaults filled in. */
export type ClientSettings = Required<
  Pick<
    WebThingClientOptions,
    | 'acceptSelfSigned'
    | 'requestTimeoutMs'
    | 'idleTimeoutMs'
    | 'maxPayloadBytes'
    | 'connectAttempts'
    | 'commandChannel'
  >
>;

export function settingsOf(options: WebThingClientOptions): ClientSettings {
  return {
    acceptSelfSigned: options.acceptSelfSigned ?? false,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 45_000,
    maxPayloadBytes: options.maxPayloadBytes ?? 4 * 1024 * 1024,
    connectAttempts: options.connectAttempts ?? Infinity,
    commandChannel: options.commandChannel ?? 'socket',
  };
}
