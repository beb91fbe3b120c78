/** Backoff: full jitter under a ceiling that doubles from the initial delay up to the cap. */
import { Backoff } from '../../src/webthing/Backoff';

test('ceilings double from 500 ms up to 30 s, and reset starts over', () => {
  const backoff = new Backoff({ random: () => 0.999999 });
  const delays = Array.from({ length: 9 }, () => backoff.next());
  expect(delays).toEqual([499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999]);
  backoff.reset();
  expect(backoff.next()).toBe(499);
});

test('delays are spread over the whole range below the ceiling (full jitter)', () => {
  const backoff = new Backoff({ initialMs: 1000, maxMs: 1000, random: () => 0 });
  expect(backoff.next()).toBe(0);
});
