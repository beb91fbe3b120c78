/**
 * Who may talk to the runner's served RuleThings: a request must name this machine in its Host
 * header (a DNS-rebound name is refused), must not come from a web page of another origin, and
 * must carry the serve token. One check for plain requests and WebSocket upgrades alike.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { IncomingMessage } from 'http';
import os from 'os';

/** Why a request is refused: the HTTP status and a short reason for the body. */
export interface Refusal {
  status: 401 | 403;
  reason: string;
}

export interface RequestGuardOptions {
  /** The bearer token every request must carry. */
  token: string;
  /** The address the server is bound to ("0.0.0.0", "::" or one address). */
  bindHost: string;
  /** Further names clients may use for this machine (a DNS name, a reverse proxy's name). */
  allowHosts?: string[];
}

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

/** Whether `host` means every address of the machine. */
export function isWildcard(host: string): boolean {
  return WILDCARDS.has(host);
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}

export class RequestGuard {
  private readonly tokenDigest: Buffer;
  private readonly names: Set<string>;
  // "name:port" as a Host header carries it, for every allowed name; set once the port is known
  private hostHeaders = new Set<string>();

  constructor(options: RequestGuardOptions) {
    this.tokenDigest = digest(options.token);
    this.names = new Set(
      [...machineNames(options.bindHost), ...(options.allowHosts ?? [])].map(hostName)
    );
  }

  /** The Host header values this guard accepts once the server listens on `port`. */
  listeningOn(port: number, tls: boolean): string[] {
    const defaultPort = tls ? 443 : 80;
    this.hostHeaders = new Set();
    for (const name of this.names) {
      this.hostHeaders.add(`${name}:${port}`);
      if (port === defaultPort) this.hostHeaders.add(name);
    }
    return [...this.hostHeaders];
  }

  /** Undefined when `request` may go on, else why not. */
  refusal(request: IncomingMessage, tls: boolean): Refusal | undefined {
    const host = request.headers.host?.toLowerCase();
    if (!host || !this.hostHeaders.has(host)) {
      return { status: 403, reason: `Host "${host ?? ''}" is not a name of this runner` };
    }
    // Browsers send Origin with cross-site requests and every WebSocket; the gateway sends none.
    const origin = request.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `${tls ? 'https' : 'http'}://${host}`) {
      return { status: 403, reason: `requests from web pages of ${origin} are not allowed` };
    }
    const token = presentedToken(request);
    if (token === undefined || !timingSafeEqual(digest(token), this.tokenDigest)) {
      return {
        status: 401,
        reason:
          token === undefined ? 'a bearer token is required' : 'the bearer token is not valid',
      };
    }
    return undefined;
  }
}

/**
 * The `Authorization: Bearer` token; on a WebSocket upgrade also `?jwt=`, which is how the
 * gateway's Web Thing add-on authenticates its socket.
 */
function presentedToken(request: IncomingMessage): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (bearer) return bearer[1];
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return undefined;
  return new URL(request.url ?? '/', 'http://x').searchParams.get('jwt') ?? undefined;
}

/** Equal-length digests, so comparing them takes the same time whatever was sent. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** A name as a Host header writes it: lower case, IPv6 addresses in brackets. */
function hostName(name: string): string {
  const bare = name.toLowerCase().replace(/^\[|\]$/g, '');
  return bare.includes(':') ? `[${bare}]` : bare;
}

/**
 * The names this machine answers to on `bindHost`: the loopback names when it listens there,
 * its addresses when it listens on all of them, and its host name (with ".local", for mDNS).
 */
function machineNames(bindHost: string): string[] {
  const all = isWildcard(bindHost);
  const names = [os.hostname(), `${os.hostname()}.local`];
  if (!all) names.push(bindHost);
  if (all || isLoopback(bindHost)) names.push('localhost', '127.0.0.1', '::1');
  if (all) {
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const address of addresses ?? []) names.push(address.address);
    }
  }
  return names;
}
