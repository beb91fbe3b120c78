/** Per-thing ordering of commands, with sets to a property coalesced while that thing is busy. */
import type { JsonValue } from '../protocol/gateway';

/** A property write or an action request, as handed to the sender. */
export interface Command {
  kind: 'set' | 'action';
  /** Property or action name. */
  name: string;
  /** The value to set, or the action's input. */
  value: JsonValue | undefined;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Queued extends Command {
  // every caller this command answers: the one who queued it and those whose values it superseded
  waiters: Waiter[];
}

/**
 * Sends one command per thing at a time, in the order they were asked for. A set to a property
 * that is still waiting its turn is replaced by a newer set to the same property (only the latest
 * value is sent), unless an action was queued after it: a set never jumps over an action.
 * Superseded callers settle with the command that replaced their value.
 */
export class CommandQueue {
  // thing id -> commands waiting behind the one in flight, oldest first; no entry: nothing in flight
  private readonly lanes = new Map<string, Queued[]>();

  constructor(private readonly send: (thingId: string, command: Command) => Promise<void>) {}

  setProperty(thingId: string, name: string, value: JsonValue): Promise<void> {
    return this.enqueue(thingId, 'set', name, value);
  }

  requestAction(thingId: string, name: string, input: JsonValue | undefined): Promise<void> {
    return this.enqueue(thingId, 'action', name, input);
  }

  /** Rejects every command not yet sent (commands in flight settle with their request). */
  clear(errorFor: (thingId: string, command: Command) => Error): void {
    for (const [thingId, pending] of this.lanes) {
      for (const command of pending) {
        const error = errorFor(thingId, command);
        for (const waiter of command.waiters) waiter.reject(error);
      }
    }
    this.lanes.clear();
  }

  private enqueue(
    thingId: string,
    kind: Command['kind'],
    name: string,
    value: JsonValue | undefined
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      const pending = this.lanes.get(thingId);
      if (pending === undefined) {
        this.lanes.set(thingId, []);
        this.run(thingId, { kind, name, value, waiters: [waiter] });
        return;
      }
      if (kind === 'set') {
        for (let i = pending.length - 1; i >= 0; i--) {
          const queued = pending[i];
          if (queued.kind === 'action') break;
          if (queued.name === name) {
            // Move it to the back: it now carries the newest call, which came after the others.
            if (i !== pending.length - 1) {
              pending.splice(i, 1);
              pending.push(queued);
            }
            queued.value = value;
            queued.waiters.push(waiter);
            return;
          }
        }
      }
      pending.push({ kind, name, value, waiters: [waiter] });
    });
  }

  private run(thingId: string, command: Queued): void {
    this.send(thingId, command).then(
      () => {
        for (const waiter of command.waiters) waiter.resolve();
        this.next(thingId);
      },
      (error: Error) => {
        for (const waiter of command.waiters) waiter.reject(error);
        this.next(thingId);
      }
    );
  }

  private next(thingId: string): void {
    const pending = this.lanes.get(thingId);
    if (pending === undefined) return;
    const command = pending.shift();
    if (command === undefined) {
      this.lanes.delete(thingId);
      return;
    }
    this.run(thingId, command);
  }
}
