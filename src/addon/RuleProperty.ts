/**
 * A gateway-addon Property whose writes are validated with a clear message (src/host/validate.ts)
 * and then handed to the add-on (engine, persistence) before the gateway sees the new value.
 */
import { Device, Property } from 'gateway-addon';
import type { Any } from 'gateway-addon/lib/schema';
import type { JsonValue } from '../protocol/gateway';
import type { RulePropertyDescription } from '../host/ruleThingMembers';
import { problemWith, rejection, ValueRules, valueRulesOf } from '../host/validate';

/** Applies an accepted write; rejecting keeps the old value and the rejection's message is shown. */
export type WriteHandler = (value: JsonValue) => Promise<void>;

/** Told each refused write, so the thing can show why (status) and the gateway can log it. */
export type RejectionListener = (message: string) => void;

export class RuleProperty extends Property<Any> {
  private readonly rules: ValueRules;

  constructor(
    device: Device,
    name: string,
    description: RulePropertyDescription,
    initial: JsonValue,
    private readonly onWrite?: WriteHandler,
    private readonly onRejected?: RejectionListener
  ) {
    const { pattern, form, ...schema } = description;
    super(device, name, schema);
    this.rules = valueRulesOf({ ...schema, pattern, form });
    this.setCachedValue(initial);
  }

  /** Called by the gateway's setProperty command; never by the add-on itself. */
  override async setValue(value: Any): Promise<Any> {
    const problem = problemWith(this.rules, value);
    if (problem)
      this.refuse(
        rejection(this.thingTitle(), this.getName(), value, this.getCachedValue(), problem)
      );
    if (this.onWrite) {
      try {
        await this.onWrite(value as JsonValue);
      } catch (error) {
        this.refuse(
          rejection(
            this.thingTitle(),
            this.getName(),
            value,
            this.getCachedValue(),
            (error as Error).message
          )
        );
      }
    }
    // The gateway answers the PUT only on a propertyChanged, so one is sent even for an unchanged value.
    this.setCachedValue(value);
    this.getDevice().notifyPropertyChanged(this);
    return this.getCachedValue() as Any;
  }

  /** Sets the value the add-on knows (from the engine); notifies the gateway only if it changed. */
  update(value: JsonValue): void {
    this.setCachedValueAndNotify(value);
  }

  private thingTitle(): string {
    return this.getDevice().getTitle() || this.getDevice().getId();
  }

  private refuse(message: string): never {
    this.onRejected?.(message);
    throw new Error(message);
  }
}
