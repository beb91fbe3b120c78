/** Reading thing descriptions and their values over REST, following the forms, into plain ThingState objects. */
import type { JsonValue, ThingDescription, ThingState } from '../protocol/gateway';
import { GatewayAuthError, excerpt } from './errors';
import { formUrl, thingIdFromHref } from './forms';
import type { GatewayRest } from './GatewayRest';
import { badValueMessage, fitsType, isRecord } from './values';

/** Everything read from the gateway in one go, applied at once when the WebSocket opens. */
export interface Snapshot {
  states: ThingState[];
  // ids of things whose values could not be read
  incomplete: Set<string>;
}

/** One thing as read: its description, the values that could be read, and whether that was all. */
export interface ReadThing {
  description: ThingDescription;
  values: Record<string, JsonValue>;
  complete: boolean;
}

// Reads of property values run this many at a time, so 100 things do not open 100 sockets at once.
const READ_CONCURRENCY = 8;

export class ThingReader {
  constructor(
    private readonly rest: GatewayRest,
    private readonly warn: (kind: string, message: string) => void
  ) {}

  /** `GET /things`, then every thing's values; only a refused token or an unreadable list fails it. */
  async readAll(): Promise<Snapshot> {
    const raw = await this.rest.getThings();
    if (!Array.isArray(raw)) {
      throw new Error(
        `GET ${this.rest.displayUrl}/things answered ${excerpt(raw, 60)}, not a list`
      );
    }
    const descriptions: ThingDescription[] = [];
    for (const item of raw) {
      const description = this.parseDescription(item);
      if (description) descriptions.push(description);
    }
    const incomplete = new Set<string>();
    const states = await mapLimit(descriptions, READ_CONCURRENCY, async (description) => {
      const { values, complete } = await this.readValuesOrNone(description);
      if (!complete) incomplete.add(description.id);
      return { description, values, connected: true };
    });
    return { states, incomplete };
  }

  /** One thing's description (`GET /things/<id>`) and values, or undefined if the description is unusable. */
  async readThing(url: URL): Promise<ReadThing | undefined> {
    const description = this.parseDescription(await this.rest.getThing(url));
    if (!description) return undefined;
    return { description, ...(await this.readValuesOrNone(description)) };
  }

  /** A description with its short id, or undefined (with a warning) when it has no usable href. */
  private parseDescription(item: unknown): ThingDescription | undefined {
    if (!isRecord(item) || typeof item.href !== 'string') {
      this.warn('badDescription', `a thing description has no href: ${excerpt(item, 100)}`);
      return undefined;
    }
    const id = thingIdFromHref(item.href);
    if (id === undefined) {
      this.warn('badDescription', `a thing's href has no id: ${excerpt(item.href, 100)}`);
      return undefined;
    }
    const title = typeof item.title === 'string' && item.title !== '' ? item.title : id;
    const properties = isRecord(item.properties) ? item.properties : {};
    // The gateway's `id` is a full URL; the contract's id is the href's last segment.
    return { ...item, id, title, properties } as ThingDescription;
  }

  /** The thing's values; a thing whose values cannot be read yet gets none and is read again later. */
  private async readValuesOrNone(
    description: ThingDescription
  ): Promise<Omit<ReadThing, 'description'>> {
    try {
      return { values: await this.readValues(description), complete: true };
    } catch (error) {
      if (error instanceof GatewayAuthError) throw error;
      this.warn(
        'valuesUnreadable',
        `could not read the values of "${description.title}": ${error instanceof Error ? error.message : String(error)}`
      );
      return { values: {}, complete: false };
    }
  }

  /** GET of all values through the thing's readallproperties form, else one GET per property form. */
  private async readValues(description: ThingDescription): Promise<Record<string, JsonValue>> {
    const allUrl = formUrl(description.forms, 'readallproperties', this.rest.base);
    if (allUrl) {
      try {
        const raw = await this.rest.getProperties(allUrl);
        if (isRecord(raw)) return this.acceptValues(description, raw);
      } catch (error) {
        if (error instanceof GatewayAuthError) throw error;
        // Fall through: the per-property reads below say what is wrong if it is not this URL.
      }
    }
    const raw: Record<string, unknown> = {};
    await Promise.all(
      Object.keys(description.properties).map(async (name) => {
        const url = formUrl(description.properties[name].forms, 'readproperty', this.rest.base);
        if (url) raw[name] = await this.rest.getProperty(url);
      })
    );
    return this.acceptValues(description, raw);
  }

  /** Keeps the values that belong to a declared property and fit its type; warns about the rest. */
  private acceptValues(
    description: ThingDescription,
    raw: Record<string, unknown>
  ): Record<string, JsonValue> {
    const values: Record<string, JsonValue> = {};
    for (const name of Object.keys(raw)) {
      if (!Object.hasOwn(description.properties, name)) continue;
      const value = raw[name];
      if (!fitsType(description.properties[name].type, value)) {
        this.warn('badValue', badValueMessage(description, name, value));
        continue;
      }
      values[name] = value;
    }
    return values;
  }
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
