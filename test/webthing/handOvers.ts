/** Counts the hand-overs of data to the kernel on the client's end of a socket to `port`. */
import net from 'net';

export interface HandOvers {
  /** `_write` (one chunk) or `_writev` (several), in order. */
  readonly calls: string[];
  restore(): void;
}

/**
 * Stream implementations hand their data to the kernel through `_write` (one chunk) or `_writev`
 * (several chunks at once): one call is one system call, one wake-up of the reader.
 */
export function countHandOvers(port: number): HandOvers {
  const calls: string[] = [];
  const proto = net.Socket.prototype as unknown as Record<string, (...args: unknown[]) => void>;
  const spies = (['_write', '_writev'] as const).map((method) => {
    const original = proto[method];
    return jest.spyOn(proto, method).mockImplementation(function (this: net.Socket, ...args) {
      if (this.remotePort === port) calls.push(method);
      return original.apply(this, args);
    });
  });
  return { calls, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
