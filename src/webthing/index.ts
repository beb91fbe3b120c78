/** The Web Thing API client of the gateway: what `src/addon` and the CLI import to reach a real gateway. */
export { WebThingClient } from './WebThingClient';
export type { ClientTrace, LogLevel, WebThingClientOptions } from './WebThingClient';
export { GatewayAuthError, GatewayHttpError, GatewayRequestError } from './errors';
export type { HttpFailure } from './errors';
export type { BackoffOptions } from './Backoff';
