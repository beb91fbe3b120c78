/** Turns a SimulatedHome thing into the thing description WebThings Gateway 2.1 serves (hrefs, forms, links). */
import { Form, ThingDescription } from '../protocol/gateway';
import { SimulatedHome } from './SimulatedHome';

const CONTEXT = ['https://www.w3.org/2022/wot/td/v1.1', 'https://webthings.io/schemas'];
const SSE = 'sse';

/**
 * The gateway's description of one thing. With `origin` ("http://127.0.0.1:8080") the id is a full
 * URL and a ws:// alternate link is added, as `GET /things` does; without it the id stays short,
 * which is what the engine's ThingDescription expects.
 */
export function gatewayDescription(
  home: SimulatedHome,
  thingId: string,
  origin?: string
): ThingDescription & Record<string, unknown> {
  const bare = home.describe(thingId);
  const values = home.values(thingId);
  const href = `/things/${encodeURIComponent(thingId)}`;
  const properties: ThingDescription['properties'] = {};
  let writable = false;
  for (const [name, property] of Object.entries(bare.properties)) {
    const propertyHref = `${href}/properties/${encodeURIComponent(name)}`;
    writable ||= !property.readOnly;
    // The gateway adds name and value to each property; clients use them as a first reading.
    properties[name] = Object.assign(property, {
      name,
      value: values[name],
      forms: [
        { href: propertyHref },
        { href: propertyHref, op: ['observeproperty', 'unobserveproperty'], subprotocol: SSE },
      ],
    });
  }
  const forms: (Form & { subprotocol?: string })[] = [];
  if (Object.keys(properties).length > 0) {
    forms.push({
      href: `${href}/properties`,
      op: writable ? ['readallproperties', 'writemultipleproperties'] : 'readallproperties',
    });
  }
  for (const [name, action] of Object.entries(bare.actions ?? {})) {
    action.forms = [{ href: `${href}/actions/${encodeURIComponent(name)}` }];
  }
  if (Object.keys(bare.actions ?? {}).length > 0) {
    forms.push({ href: `${href}/actions`, op: 'queryallactions' });
  }
  for (const [name, event] of Object.entries(bare.events ?? {})) {
    Object.assign(event, {
      forms: [{ href: `${href}/events/${encodeURIComponent(name)}`, subprotocol: SSE }],
    });
  }
  const links: { href: string; rel?: string; type?: string }[] = [
    { rel: 'alternate', type: 'text/html', href },
  ];
  const description: ThingDescription & Record<string, unknown> = {
    ...bare,
    id: thingId,
    '@context': CONTEXT,
    href,
    properties,
    forms,
    links,
  };
  if (origin) {
    links.push({ rel: 'alternate', href: `${origin.replace(/^http/, 'ws')}${href}` });
    description.id = `${origin}${href}`;
    description.base = `${origin}/`;
    description.security = 'oauth2_sc';
  }
  return description;
}
