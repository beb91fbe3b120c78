/** Errors of the Web Thing API client, and the scrubbing that keeps the access token out of every message. */
import type { JsonValue } from '../protocol/gateway';

/** The gateway refused the access token: nothing works until the user makes a new one. */
export class GatewayAuthError extends Error {
  readonly status: number;

  constructor(gatewayUrl: string, status: number) {
    super(
      status === 403
        ? `the access token may not read things on the gateway at ${gatewayUrl} (HTTP 403): create a local authorization in Settings → Developer`
        : `the access token was refused by the gateway at ${gatewayUrl} (HTTP ${status}): create a new one in Settings → Developer`
    );
    this.name = 'GatewayAuthError';
    this.status = status;
  }
}

/** Why a REST call failed, when it is not the token: a short fixed word for callers to branch on. */
export type HttpFailure = 'status' | 'timeout' | 'network' | 'badJson' | 'closed';

/** A REST call that did not succeed; `status` is set only when the gateway answered. */
export class GatewayHttpError extends Error {
  readonly failure: HttpFailure;
  readonly status: number | undefined;
  /** What went wrong, without method and URL: used inside GatewayRequestError's message. */
  readonly detail: string;

  constructor(method: string, url: string, failure: HttpFailure, detail: string, status?: number) {
    super(`${method} ${url} failed: ${detail}`);
    this.name = 'GatewayHttpError';
    this.failure = failure;
    this.status = status;
    this.detail = detail;
  }
}

/** A setProperty or requestAction the gateway did not confirm, naming the thing, the member and the value. */
export class GatewayRequestError extends Error {
  readonly thingId: string;
  /** The property name, or the action name when `kind` is 'action'. */
  readonly property: string;
  /** The value that was to be set, or the action's input. */
  readonly value: JsonValue | undefined;
  /** The gateway's HTTP status, or undefined when it never answered (timeout, network, unknown thing). */
  readonly status: number | undefined;
  readonly kind: 'property' | 'action';

  constructor(
    kind: 'property' | 'action',
    thing: { id: string; title?: string },
    member: string,
    value: JsonValue | undefined,
    detail: string,
    status?: number
  ) {
    const what =
      kind === 'property'
        ? `Setting a property failed: thing ${describeThing(thing)}, property "${member}", value ${excerpt(value)}`
        : `Requesting an action failed: thing ${describeThing(thing)}, action "${member}", input ${excerpt(value)}`;
    super(`${what}: ${detail}`);
    this.name = 'GatewayRequestError';
    this.kind = kind;
    this.thingId = thing.id;
    this.property = member;
    this.value = value;
    this.status = status;
  }
}

function describeThing(thing: { id: string; title?: string }): string {
  return thing.title && thing.title !== thing.id
    ? `"${thing.title}" (${thing.id})`
    : `"${thing.id}"`;
}

/**
 * A value as JSON, cut short so one huge value cannot flood a log line. Text from the gateway
 * passes the token as `secret`: it is scrubbed before the cut, which could leave half a token
 * that no later scrub recognises.
 */
export function excerpt(value: unknown, max = 120, secret?: string): string {
  let text: string;
  try {
    text = value === undefined ? 'none' : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  if (secret !== undefined) text = scrub(text, secret);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * `text` with every copy of `secret` (plain or URL-encoded) and any `jwt=` query value replaced,
 * so socket errors that quote the WebSocket URL cannot leak the token.
 */
export function scrub(text: string, secret: string): string {
  let out = text.replace(/([?&]jwt=)[^&\s#"']*/gi, '$1***');
  if (secret.length > 0) {
    out = out.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('***');
  }
  return out;
}

/** An error's message, or what was thrown, as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
