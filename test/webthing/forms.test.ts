/** formUrl and thingIdFromHref: forms are read the way the gateway's own UI reads them. */
import { formUrl, thingIdFromHref } from '../../src/webthing/forms';

const base = new URL('http://127.0.0.1:8080/');

test('the last form that offers the operation wins (the gateway appends its own last)', () => {
  const forms = [
    { href: '/proxy/t/on' },
    { href: '/things/t/properties/on' },
    { href: '/things/t/properties/on', op: ['observeproperty', 'unobserveproperty'] },
  ];
  expect(formUrl(forms, 'writeproperty', base)?.href).toBe(
    'http://127.0.0.1:8080/things/t/properties/on'
  );
});

test('a form with op as a string or a list is matched exactly', () => {
  expect(
    formUrl([{ href: '/a', op: 'readallproperties' }], 'readallproperties', base)?.pathname
  ).toBe('/a');
  expect(
    formUrl([{ href: '/a', op: ['writemultipleproperties'] }], 'readallproperties', base)
  ).toBeUndefined();
});

test('a form on another origin is skipped so the token stays on the gateway', () => {
  const forms = [{ href: '/things/t/properties/on' }, { href: 'http://evil.example/on' }];
  expect(formUrl(forms, 'writeproperty', base)?.href).toBe(
    'http://127.0.0.1:8080/things/t/properties/on'
  );
  expect(formUrl(undefined, 'writeproperty', base)).toBeUndefined();
});

test('a thing id is the decoded last segment of its href', () => {
  expect(thingIdFromHref('/things/virtual-things-0')).toBe('virtual-things-0');
  expect(thingIdFromHref('/things/button%202/')).toBe('button 2');
  expect(thingIdFromHref('http://gw/things/x?y=1')).toBe('x');
  expect(thingIdFromHref('/things/')).toBe('things');
  expect(thingIdFromHref('')).toBeUndefined();
});
