/**
 * Base of every trigger: something that calls the rules subscribed to it. One trigger object may
 * serve several rules; it starts with its first subscriber and stops with its last.
 */
import type { Clock, Cancel } from '../clock';

/** What a trigger reports when it fires: `property` and `value` reach `Rule.action`. */
export type TriggerListener = (trigger: Trigger, property: string, value: unknown) => void;

/** A place on Earth, for solar and lunar events. */
export interface Place {
  latitude: number;
  longitude: number;
}

/** What a trigger gets when it starts. */
export interface TriggerContext {
  clock: Clock;
  place: Place;
  /** Reports a problem that is not worth a throw (an event that will not happen this year…). */
  warn(message: string): void;
}

/** A value that can change while a trigger runs (a RuleThing setting such as the alarm time). */
export interface ValueSource<T> {
  get(): T;
  /** Calls `listener` after each change; returns its cancel. */
  onChange(listener: (value: T) => void): Cancel;
}

export type Changeable<T> = T | ValueSource<T>;

export function isValueSource<T>(value: Changeable<T>): value is ValueSource<T> {
  return typeof value === 'object' && value !== null && 'onChange' in value && 'get' in value;
}

export function currentValue<T>(value: Changeable<T>): T {
  return isValueSource(value) ? value.get() : value;
}

/**
 * pywot's time triggers take `(config, name, value…)` or `(name, value…)` where ours take the
 * value first: `new AbsoluteTimeTrigger('morning_wake_trigger', '06:30:00')`. Splits such
 * arguments into the name (undefined in our form) and our own arguments, so a ported rule runs.
 */
export function pywotArguments<A extends unknown[]>(
  args: A | [string, ...A] | [object, string, ...A]
): { name: string | undefined; args: A } {
  let rest: unknown[] = args;
  const isValue = (v: unknown) =>
    typeof v === 'string' || typeof v === 'number' || isValueSource(v as Changeable<unknown>);
  // pywot's first argument, its config object, means nothing here.
  if (
    rest.length >= 3 &&
    typeof rest[0] === 'object' &&
    !isValue(rest[0]) &&
    typeof rest[1] === 'string'
  )
    rest = rest.slice(1);
  if (rest.length >= 2 && typeof rest[0] === 'string' && isValue(rest[1]))
    return { name: rest[0], args: rest.slice(1) as A };
  return { name: undefined, args: rest as A };
}

export abstract class Trigger {
  // listener -> nothing; a Set keeps subscription order and makes unsubscribe O(1)
  private readonly listeners = new Set<TriggerListener>();
  /** The context of the running trigger (from its first subscriber); undefined while stopped. */
  protected context?: TriggerContext;

  constructor(readonly name: string = new.target.name) {}

  /** An English phrase for sentences and logs: "at 06:30 on weekdays", "10 minutes before civil dusk". */
  abstract describe(): string;

  /** Arms whatever makes this trigger fire (timers, listeners). Called once, with the first subscriber. */
  protected abstract onStart(context: TriggerContext): void;

  /** Cancels all it armed. Called once, when the last subscriber leaves. */
  protected abstract onStop(): void;

  /** Subscribes `listener`; starts the trigger if it is the first. Returns the unsubscribe. */
  subscribe(context: TriggerContext, listener: TriggerListener): Cancel {
    this.listeners.add(listener);
    if (!this.context) {
      this.context = context;
      this.onStart(context);
    }
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0 && this.context) {
        this.context = undefined;
        this.onStop();
      }
    };
  }

  get running(): boolean {
    return this.context !== undefined;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Calls every subscriber; one that throws does not keep the others from running. */
  protected fire(property = 'activated', value: unknown = true): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(this, property, value);
      } catch (error) {
        this.context?.warn(`${this.describe()}: a subscriber threw: ${(error as Error).message}`);
      }
    }
  }
}
