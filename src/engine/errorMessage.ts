/** The message of anything thrown, also for errors from another realm (rule files run through vm). */

export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}
