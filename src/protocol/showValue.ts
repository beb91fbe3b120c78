/** A value as people read it in logs, statuses and errors: strings quoted, the rest as JSON, cut short so a huge payload cannot flood a log. */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
