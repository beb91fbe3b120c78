/** Small HTTP helpers for the simulator server: the gateway's API-or-app decision, bearer tokens, bodies, replies. */
import { timingSafeEqual } from 'crypto';
import { IncomingMessage, ServerResponse } from 'http';

// Bodies larger than this are refused; the gateway API never needs more for a property value.
const MAX_BODY_BYTES = 1024 * 1024;

/** Whether the Accept header admits `type` (no header admits everything, as in express). */
function accepts(request: IncomingMessage, type: string): boolean {
  const header = request.headers.accept;
  if (!header) return true;
  const [major] = type.split('/');
  return header.split(',').some((part) => {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) <= 0) return false;
    return range === type || range === `${major}/*` || range === '*/*';
  });
}

/**
 * The gateway's router test: API requests are those that prefer JSON (or SSE) over HTML, send JSON,
 * or upgrade to a WebSocket; everything else gets the web app's HTML page.
 */
export function isApiRequest(request: IncomingMessage): boolean {
  const html = accepts(request, 'text/html');
  return (
    (!html && (accepts(request, 'application/json') || accepts(request, 'text/event-stream'))) ||
    request.headers['content-type']?.split(';')[0].trim() === 'application/json' ||
    request.headers.upgrade?.toLowerCase() === 'websocket'
  );
}

/** The token a request carries in `Authorization: Bearer` or, for WebSockets, `?jwt=`. */
export function presentedToken(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? url.searchParams.get('jwt') ?? undefined;
}

/** Constant-time comparison, so response timing does not leak how much of a guess was right. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request body as text, or null if it is larger than the limit. */
export function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString())
    );
    request.on('error', reject);
  });
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** A plain reply shaped like express's `res.status(n).send('text')`, which the gateway uses for errors. */
export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendEmpty(response: ServerResponse, status: number): void {
  response.writeHead(status);
  response.end();
}

// What the gateway's web app would serve; only its status and type matter to clients.
const APP_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>WebThings Gateway (simulated)</title>' +
  '</head><body><p>This is the Rule Things gateway simulator. Send Accept: application/json ' +
  'to use its API.</p></body></html>';

export function sendAppPage(response: ServerResponse): void {
  sendText(response, 200, APP_PAGE);
}
