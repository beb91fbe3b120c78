/** Parses the readable durations rules use ("2s", "20m", "1h30m", "-10m", 90) into milliseconds. */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;

/**
 * A duration in milliseconds from a number of seconds or a string such as "2s", "20m",
 * "1h30m", "1.5h" or "-10m" (units ms, s, m, h, d; a bare number means seconds).
 *
 * @example parseDuration('1h30m') // 5_400_000
 * @throws Error "Invalid duration: …" naming the text and the accepted form.
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw invalid(String(input));
    return Math.round(input * 1000);
  }
  const text = String(input).trim().toLowerCase();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '').replace(/\s+/g, '');
  if (body === '') throw invalid(String(input));
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = PART.exec(body); match; match = PART.exec(body)) {
    total += Number(match[1]) * UNIT_MS[match[2]];
    consumed = PART.lastIndex;
  }
  if (consumed !== body.length) throw invalid(String(input));
  return sign * Math.round(total);
}

/** "1h 30m", "2s", "-10m": the inverse of parseDuration, for sentences and logs. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return sign + parts.join(' ');
}

function invalid(text: string): Error {
  return new Error(
    `Invalid duration: "${text.slice(0, 40)}" (use a number of seconds or forms like "2s", "20m", "1h30m", "-10m")`
  );
}

/**
 * A duration in words for sentences ("2 seconds", "1 hour 30 minutes", "1 day"); the sign is
 * dropped because callers say "before" or "after" themselves.
 *
 * @example describeDuration(5_400_000) // "1 hour 30 minutes"
 */
export function describeDuration(ms: number): string {
  let rest = Math.abs(Math.round(ms));
  if (rest === 0) return '0 seconds';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
    ['millisecond', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.join(' ');
}
