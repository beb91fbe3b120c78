/** DelayTimer: a countdown a rule starts, extends or cancels, firing once when it runs out ("off 5 minutes after the last motion"). */
import type { DateTime } from 'luxon';
import { describeDuration, parseDuration } from '../clock';
import { Changeable, currentValue, pywotArguments } from './Trigger';
import { TimeTrigger } from './TimeTrigger';

export class DelayTimer extends TimeTrigger {
  // when the running countdown ends; undefined while idle
  private deadlineMs?: number;
  // the last valid delay, for describe(), which must not throw when a setting turns bad
  private lastGoodMs: number;

  /**
   * @param delay "5m", "90s", a number of seconds, or a RuleThing setting holding one (read at
   *   each start()); must be positive.
   * @example
   * timer = new DelayTimer('5m');
   * triggers() { return [this.things.Hall_Motion, this.timer]; }
   * action(trigger) { if (trigger === this.timer) this.things.Hall_Light.on = false; else this.timer.start(); }
   */
  private readonly delay: Changeable<string | number>;

  constructor(
    ...given:
      [delay: Changeable<string | number>] | [name: string, delay: Changeable<string | number>]
  ) {
    const { name, args } = pywotArguments<[Changeable<string | number>]>(given);
    super(name);
    const [delay] = args;
    this.delay = delay;
    this.lastGoodMs = positive(currentValue(delay), 'DelayTimer delay');
  }

  /** The delay `start()` counts down, in milliseconds; throws if its setting holds no valid duration. */
  get delayMs(): number {
    this.lastGoodMs = positive(currentValue(this.delay), 'DelayTimer delay');
    return this.lastGoodMs;
  }

  describe(): string {
    return `after a delay of ${describeDuration(this.lastGoodMs)}`;
  }

  /** True while a countdown runs: started, not yet fired, not cancelled. */
  get isRunning(): boolean {
    // A countdown is spent the moment it fires, so isRunning is already false inside the action.
    return (
      this.context !== undefined &&
      this.deadlineMs !== undefined &&
      this.deadlineMs > this.context.clock.nowMs()
    );
  }

  /** (Re)starts the countdown from now with the full delay (or `delay` if given). */
  start(delay?: string | number): void {
    const ms = delay === undefined ? this.delayMs : positive(delay, 'DelayTimer delay');
    this.deadlineMs = this.clockOrThrow('start').nowMs() + ms;
    this.rearm();
  }

  /** Extends a running countdown by `extra`; starts one of that length when idle. */
  addTime(extra: string | number): void {
    const ms = positive(extra, 'DelayTimer.addTime');
    const now = this.clockOrThrow('addTime').nowMs();
    this.deadlineMs = this.isRunning ? this.deadlineMs! + ms : now + ms;
    this.rearm();
  }

  /** Stops the countdown without firing; harmless when idle. */
  cancel(): void {
    this.deadlineMs = undefined;
    this.rearm();
  }

  next(after: DateTime): DateTime | null {
    if (this.deadlineMs === undefined || this.deadlineMs <= after.toMillis()) return null;
    return after.plus({ milliseconds: this.deadlineMs - after.toMillis() });
  }

  protected override onStop(): void {
    super.onStop();
    this.deadlineMs = undefined;
  }

  private clockOrThrow(method: string) {
    if (!this.context) {
      throw new Error(
        `DelayTimer.${method}(): the timer is not subscribed; return it from triggers() before starting it`
      );
    }
    return this.context.clock;
  }
}

function positive(value: unknown, what: string): number {
  const ms =
    typeof value === 'string' || typeof value === 'number' ? parseDuration(value) : Number.NaN;
  if (!(ms > 0))
    throw new Error(
      `Invalid ${what}: ${JSON.stringify(value)} (use a positive duration such as "5m")`
    );
  return ms;
}
