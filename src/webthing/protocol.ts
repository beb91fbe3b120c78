/** The WebSocket messages of the gateway's Web Thing API (src/controllers/things_controller.ts in WebThings Gateway 2.x). */

/** Gateway → client: `data` is `{ <property>: <value> }`; one message per changed property in practice. */
export const PROPERTY_STATUS = 'propertyStatus';
/** Gateway → client: `data` is `{ <event>: { data, timestamp } }`; sent only after addEventSubscription. */
export const EVENT = 'event';
/** Gateway → client: `data` is a boolean, the device's reachability. */
export const CONNECTED = 'connected';
/** Gateway → client: a thing was added; `data` is empty, so the description must be read. */
export const THING_ADDED = 'thingAdded';
/** Gateway → client: a thing's description changed; `data` is empty. */
export const THING_MODIFIED = 'thingModified';
/** Gateway → client: a thing was removed. */
export const THING_REMOVED = 'thingRemoved';
/** Gateway → client: progress of an action; we learn the outcome from the POST instead. */
export const ACTION_STATUS = 'actionStatus';
/** Gateway → client: the Things page layout changed; nothing for us to do. */
export const LAYOUT_MODIFIED = 'layoutModified';
/** Gateway → client: `data` is `{ code, status, message, request? }` for a message it refused. */
export const ERROR = 'error';
/**
 * Client → gateway: `data` is `{ <property>: <value> }`. The gateway answers nothing itself: the
 * device's next report of the property (`propertyStatus`) is the answer, as it is for a REST PUT.
 * Virtual things report every write; gateway-addon devices report only a change, or the value
 * they kept when they refuse one; the "Web Thing" adapter reports nothing when the device cannot
 * be reached. A refusal the gateway sees first (unknown thing or property) comes as an `error`
 * quoting the request. Unlike a REST PUT, the value is not checked against the property's schema.
 * What arrives before the gateway's first message on the socket is dropped (see ThingSocket).
 */
export const SET_PROPERTY = 'setProperty';
/** Client → gateway: `data` is `{ <event>: {} }`; without it the gateway sends no events. */
export const ADD_EVENT_SUBSCRIPTION = 'addEventSubscription';

/** The shape every gateway message shares; the rest is checked per messageType. */
export interface IncomingMessage {
  messageType: string;
  id?: string;
  data?: unknown;
}

/** The body of the gateway's `error` message. */
export interface GatewayErrorData {
  code?: number;
  status?: string;
  message?: string;
  /** The client's message it refused, as sent. */
  request?: unknown;
}
