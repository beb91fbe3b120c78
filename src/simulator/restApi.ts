/** The gateway's REST routes under /things over a SimulatedHome, with the gateway's status codes and bodies. */
import { IncomingMessage, ServerResponse } from 'http';
import { JsonValue } from '../protocol/gateway';
import { gatewayDescription } from './gatewayDescription';
import { readBody, sendEmpty, sendJson, sendText } from './http';
import { SimulatedHome } from './SimulatedHome';
import { SimulatorError } from './SimulatorError';

/** What went wrong with a body, as the gateway words it ("Invalid property value"). */
class BadBody extends Error {}

// The gateway answers model errors with these fixed texts; details stay out of the HTTP body.
const STATUS: Record<string, [number, string]> = {
  'unknown-thing': [404, 'Thing not found'],
  'unknown-property': [404, 'Property not found'],
  'read-only': [400, 'Read-only property'],
  'invalid-value': [400, 'Invalid property value'],
};

export class RestApi {
  constructor(private readonly home: SimulatedHome) {}

  /** Answers one authenticated API request; `origin` is "http://<Host header>". */
  async handle(request: IncomingMessage, response: ServerResponse, url: URL, origin: string) {
    const method = request.method ?? 'GET';
    try {
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      await this.route(method, parts, request, response, origin);
    } catch (error) {
      if (error instanceof BadBody) return sendText(response, 400, error.message);
      if (error instanceof URIError) return sendText(response, 400, 'Bad Request');
      const known = error instanceof SimulatorError ? STATUS[error.code] : undefined;
      if (known) return sendText(response, known[0], known[1]);
      sendText(response, 500, (error as Error).message);
    }
  }

  private async route(
    method: string,
    parts: string[],
    request: IncomingMessage,
    response: ServerResponse,
    origin: string
  ): Promise<void> {
    const [root, thingId, kind, name, extra] = parts;
    const home = this.home;
    if (root !== 'things' || extra !== undefined) return sendText(response, 404, 'Not Found');
    const route = `${method} ${[thingId && ':thing', kind, name && ':name'].filter(Boolean).join('/')}`;
    switch (route) {
      case 'GET ':
        return sendJson(
          response,
          200,
          home.thingIds().map((id) => gatewayDescription(home, id, origin))
        );
      case 'GET :thing':
        return sendJson(response, 200, gatewayDescription(home, this.known(thingId), origin));
      case 'GET :thing/properties':
        return sendJson(response, 200, home.values(thingId));
      case 'GET :thing/properties/:name':
        return sendJson(response, 200, home.getProperty(thingId, name));
      case 'PUT :thing/properties/:name':
        home.writeProperty(thingId, name, await this.body(request, 'Invalid property value'));
        return sendEmpty(response, 204);
      case 'PUT :thing/properties':
        return this.putProperties(thingId, await this.body(request, 'Bad Request'), response);
      case 'POST :thing/actions/:name':
        return this.postAction(thingId, name, request, response);
      default:
        return sendText(response, 404, 'Not Found');
    }
  }

  private known(thingId: string): string {
    if (!this.home.has(thingId)) throw new SimulatorError('unknown-thing', 'Thing not found');
    return thingId;
  }

  private async putProperties(thingId: string, body: JsonValue, response: ServerResponse) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return sendText(response, 400, 'Bad Request');
    }
    this.known(thingId);
    try {
      this.home.writeProperties(thingId, body);
    } catch {
      // The gateway answers any failed multi-property write with a bare 500.
      return sendText(response, 500, 'Internal Server Error');
    }
    sendEmpty(response, 204);
  }

  private async postAction(
    thingId: string,
    name: string,
    request: IncomingMessage,
    response: ServerResponse
  ) {
    const text = await readBody(request);
    if (!this.home.has(thingId)) return sendEmpty(response, 404);
    let input: JsonValue | undefined;
    try {
      input = text ? (JSON.parse(text) as JsonValue) : undefined;
      const { href, status, timeRequested } = this.home.requestAction(thingId, name, input);
      response.setHeader('Location', href);
      sendJson(response, 201, { href, status, timeRequested });
    } catch {
      sendEmpty(response, 400);
    }
  }

  /** The parsed JSON body; a missing, oversized or malformed one is refused with `why`. */
  private async body(request: IncomingMessage, why: string): Promise<JsonValue> {
    const text = await readBody(request);
    if (text === null) throw new BadBody('Payload Too Large');
    if (text.trim() === '') throw new BadBody(why);
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      throw new BadBody(why);
    }
  }
}
