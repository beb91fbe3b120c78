import { describeDuration, formatDuration, parseDuration } from '../../src/clock';

describe('parseDuration', () => {
  it.each([
    ['2s', 2000],
    ['20m', 1_200_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['-10m', -600_000],
    ['250ms', 250],
    ['1d', 86_400_000],
    ['90', 90_000],
    [' 1h 30m ', 5_400_000],
  ])('reads %j as %i milliseconds', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('reads a bare number as seconds', () => {
    expect(parseDuration(2.5)).toBe(2500);
  });

  it.each(['', 'soon', '10x', '1h-5m', '--1m'])(
    'rejects %j, naming it and the accepted forms',
    (bad) => {
      expect(() => parseDuration(bad)).toThrow(`Invalid duration: "${bad}"`);
      expect(() => parseDuration(bad)).toThrow(/"2s", "20m", "1h30m", "-10m"/);
    }
  );

  it('rejects numbers that are not finite', () => {
    expect(() => parseDuration(Number.NaN)).toThrow(/Invalid duration: "NaN"/);
    expect(() => parseDuration(Infinity)).toThrow(/Invalid duration/);
  });
});

describe('formatDuration', () => {
  it('writes the inverse of parseDuration', () => {
    for (const text of ['2s', '1h 30m', '-10m', '1d 2h', '250ms']) {
      expect(formatDuration(parseDuration(text))).toBe(text);
    }
    expect(formatDuration(0)).toBe('0s');
  });
});

describe('describeDuration', () => {
  it('writes durations in words without a sign', () => {
    expect(describeDuration(2000)).toBe('2 seconds');
    expect(describeDuration(1000)).toBe('1 second');
    expect(describeDuration(-600_000)).toBe('10 minutes');
    expect(describeDuration(5_400_000)).toBe('1 hour 30 minutes');
    expect(describeDuration(86_400_000)).toBe('1 day');
    expect(describeDuration(0)).toBe('0 seconds');
  });
});
