/**
 * Property writes sent over the WebSocket and not yet answered. The gateway 2.1 sends no answer of
 * its own to a socket `setProperty`: the device's next report of the property answers it, as it
 * answers a PUT; a refusal comes as an `error` message quoting the request.
 */
import type { Cancel, Clock } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import type { Command } from './CommandQueue';
import type { GatewayRequestError } from './errors';
import { excerpt } from './errors';
import { GatewayErrorData, SET_PROPERTY } from './protocol';
import type { ThingSocket } from './ThingSocket';
import { isRecord, sameValue } from './values';

/** A write sent over the WebSocket, waiting for the device's confirmation. */
interface SocketWrite {
  command: Command;
  resolve(): void;
  reject(error: Error): void;
  cancelTimer: Cancel;
}

/** Makes the error a failed command rejects with (it names the thing, member and value). */
export type CommandError = (
  thingId: string,
  command: Command,
  detail: string,
  status?: number
) => GatewayRequestError;

export class SocketWrites {
  // thing id -> its write not yet confirmed (the CommandQueue keeps one command per thing in
  // flight, so the next propertyStatus of that property answers it)
  private readonly pending = new Map<string, SocketWrite>();
  // "thing id, property" reported on the current socket: the first report of each is the
  // gateway's greeting, sent before it read anything of ours, so it answers no write
  private readonly reported = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly commandError: CommandError
  ) {}

  /** A new socket: its first report of each property is a greeting again. */
  socketOpened(): void {
    this.reported.clear();
  }

  /** The write waiting on `thingId`, if any. */
  commandFor(thingId: string): Command | undefined {
    return this.pending.get(thingId)?.command;
  }

  /**
   * One write over the WebSocket: no request, no token check, no JSON schema pass in the gateway.
   * A value the device last reported is not sent: a gateway-addon device reports only changes, so
   * no answer would come (the gateway's own PUT then waits forever), and the engine skips such
   * writes for the same reason.
   */
  send(
    socket: ThingSocket,
    thingId: string,
    command: Command,
    lastReported: JsonValue | undefined,
    sent?: () => void
  ): Promise<void> {
    if (sameValue(lastReported, command.value)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const write: SocketWrite = { command, resolve, reject, cancelTimer: () => undefined };
      write.cancelTimer = this.clock.after(this.timeoutMs, () => {
        const detail = `no answer from the device within ${this.timeoutMs} ms`;
        this.settle(thingId, this.commandError(thingId, command, detail));
      });
      this.pending.set(thingId, write);
      socket.setProperty(thingId, command.name, command.value as JsonValue, sent);
    });
  }

  /**
   * A `propertyStatus` arrived (and was applied). The device's first report of the property after
   * the gateway read the write answers it: the value written confirms it; another value (a device
   * that refused or changed the value reports the one it has) fails it at once, naming that
   * value. The greeting's report of a fresh socket came before the write was read: only the
   * value written settles on it.
   */
  reportArrived(thingId: string, data: Record<string, unknown>): void {
    const write = this.pending.get(thingId);
    if (write && Object.hasOwn(data, write.command.name)) {
      const value = data[write.command.name];
      if (sameValue(value, write.command.value)) {
        this.settle(thingId);
      } else if (this.reported.has(reportKey(thingId, write.command.name))) {
        const detail = `the device reported ${excerpt(value, 60)} instead`;
        this.settle(thingId, this.commandError(thingId, write.command, detail));
      }
    }
    for (const name of Object.keys(data)) this.reported.add(reportKey(thingId, name));
  }

  /** Resolves (no error) or rejects the write waiting on `thingId`. */
  settle(thingId: string, error?: Error): void {
    const write = this.pending.get(thingId);
    if (!write) return;
    this.pending.delete(thingId);
    write.cancelTimer();
    if (error) write.reject(error);
    else write.resolve();
  }

  /** Rejects the write waiting on `thingId`, if any, saying why. */
  fail(thingId: string, detail: string, status?: number): void {
    const write = this.pending.get(thingId);
    if (write) this.settle(thingId, this.commandError(thingId, write.command, detail, status));
  }

  /**
   * The gateway's `error` message: when it quotes a write of ours that waits (the gateway refused
   * it), that write is rejected with what the gateway said (passed through `scrub`); true then.
   */
  refusedBy(data: GatewayErrorData, scrub: (text: string) => string): boolean {
    const request = data.request;
    if (!isRecord(request) || request.messageType !== SET_PROPERTY) return false;
    if (typeof request.id !== 'string') return false;
    const command = this.commandFor(request.id);
    if (!command || !isRecord(request.data) || !Object.hasOwn(request.data, command.name))
      return false;
    const said = typeof data.message === 'string' ? data.message : excerpt(data.message, 200);
    this.fail(request.id, `the gateway refused it: ${scrub(said)}`, data.code);
    return true;
  }

  /** Every unanswered write, handed over (the socket closed) and forgotten here. */
  takeAll(): [string, { command: Command; resolve(): void; reject(error: Error): void }][] {
    const writes = [...this.pending];
    this.pending.clear();
    for (const [, write] of writes) write.cancelTimer();
    return writes;
  }
}

/** A key for one property of one thing. */
function reportKey(thingId: string, name: string): string {
  return `${thingId}\u0000${name}`;
}
