/**
 * The base class of "While" rules (the gateway GUI's kind): what `whileTrue()` changes is undone
 * when `condition()` stops holding.
 */
import { Rule } from './Rule';

/**
 * A rule whose effect lasts only while its condition holds. The condition is checked on every
 * trigger (and when the rule starts); when it becomes true `whileTrue()` runs once; when it
 * becomes false the engine aborts `whileTrue()` if it still runs and sets every property it
 * changed back to the value it had before. Its default mode is "restart".
 *
 * @example
 * export default class NightMotionRule extends WhileRule {
 *   triggers() { return [this.things.Motion_Sensor.property('motion')]; }
 *   condition() { return this.things.Motion_Sensor.motion === true && !this.sun.isUp(); }
 *   whileTrue() { this.things.Porch_Light.on = true; }
 * }
 */
export abstract class WhileRule extends Rule {
  /** Whether the rule's effect should hold now; read things, settings, the sun. */
  abstract condition(): boolean;

  /** Makes the changes that last while the condition holds; may be async (a pulse, a fade). */
  abstract whileTrue(): void | Promise<void>;
}
