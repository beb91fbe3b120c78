/** Error messages and token scrubbing: a short fixed reason first, details after, never the token. */
import { excerpt, GatewayAuthError, GatewayRequestError, scrub } from '../../src/webthing/errors';

test('scrub removes the token in plain and URL-encoded form and any jwt= query value', () => {
  const token = 'a+b/c=';
  expect(scrub(`ws://gw/things?jwt=${encodeURIComponent(token)} failed`, token)).toBe(
    'ws://gw/things?jwt=*** failed'
  );
  expect(scrub(`Bearer ${token}`, token)).toBe('Bearer ***');
  expect(scrub('ws://gw/things?a=1&jwt=zzz&b=2', '')).toBe('ws://gw/things?a=1&jwt=***&b=2');
});

test('a 401 says what to do and names the gateway', () => {
  expect(new GatewayAuthError('http://gw:8080', 401).message).toBe(
    'the access token was refused by the gateway at http://gw:8080 (HTTP 401): create a new one in Settings → Developer'
  );
});

test('a request error names the thing, the member and the value, cutting long values short', () => {
  const error = new GatewayRequestError(
    'action',
    { id: 'k', title: 'Kettle' },
    'boil',
    { note: 'x'.repeat(500) },
    'HTTP 400',
    400
  );
  expect(error.message).toMatch(
    /^Requesting an action failed: thing "Kettle" \(k\), action "boil", input \{"note":"x+…: HTTP 400$/
  );
  expect(error).toMatchObject({ thingId: 'k', property: 'boil', status: 400, kind: 'action' });
});

test('an excerpt of gateway text scrubs the token before cutting, so no half of it is left', () => {
  const token = 'T0KEN-abcdefghijklmnop';
  const text = `${'x'.repeat(50)}${token} and more`;
  const cut = excerpt(text, 60, token);
  expect(cut).toBe(`"${'x'.repeat(50)}*** and m…`);
  expect(cut).not.toContain(token.slice(0, 8));
});
