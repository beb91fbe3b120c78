/** Finding the URL of an operation in a thing description's forms, the way the gateway's own UI does. */
import type { Form } from '../protocol/gateway';

/** W3C TD operation names used by this client. */
export type Operation = 'readproperty' | 'writeproperty' | 'readallproperties' | 'invokeaction';

/**
 * The URL of the last form that offers `op` over HTTP(S) on the gateway's own origin, or undefined.
 *
 * The gateway appends its own forms after any an add-on supplied (static/js/utils.ts
 * `selectFormHref` relies on this too), and a form without `op` offers the default operations
 * of its interaction. Forms on another origin are skipped so the bearer token never leaves
 * the gateway.
 */
export function formUrl(forms: Form[] | undefined, op: Operation, base: URL): URL | undefined {
  if (!Array.isArray(forms)) return undefined;
  for (let i = forms.length - 1; i >= 0; i--) {
    const form = forms[i];
    if (!form || typeof form.href !== 'string' || !offers(form.op, op)) continue;
    let url: URL;
    try {
      url = new URL(form.href, base);
    } catch {
      continue;
    }
    if (url.origin === base.origin) return url;
  }
  return undefined;
}

function offers(formOp: string | string[] | undefined, op: Operation): boolean {
  if (formOp === undefined) return true;
  return typeof formOp === 'string' ? formOp === op : Array.isArray(formOp) && formOp.includes(op);
}

/** A thing's id: the last path segment of its href ("/things/virtual-things-0" → "virtual-things-0"). */
export function thingIdFromHref(href: string): string | undefined {
  const path = href.split(/[?#]/, 1)[0].replace(/\/+$/, '');
  const segment = path.slice(path.lastIndexOf('/') + 1);
  if (segment === '') return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
