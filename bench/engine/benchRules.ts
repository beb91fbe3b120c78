/** Rule classes built from RuleSpecs, written as a rule author would (proxies held in fields, plain assignments). */
import type { JsonValue } from '../../src/protocol/gateway';
import { Rule } from '../../src/engine/Rule';
import type { ThingProxy } from '../../src/engine/ThingProxy';
import type { RuleSpec } from './protocol';

/** Told of every action; the engine process counts them and stamps the engine share. */
export type ActionHook = (spec: RuleSpec) => void;

export function ruleClass(spec: RuleSpec, onAction: ActionHook): new () => Rule {
  return spec.kind === 'mirror' ? mirrorRule(spec, onAction) : rotateRule(spec, onAction);
}

// Class declarations, not `return class …` expressions: sucrase hoists one shared `_class`
// variable per module for class expressions with fields, so the second class made by a factory
// would initialize the first one's instances with its own fields.

function mirrorRule(spec: Extract<RuleSpec, { kind: 'mirror' }>, onAction: ActionHook) {
  class MirrorRule extends Rule {
    static title = spec.id;
    source = this.thing(spec.from.thing);
    target = this.thing(spec.to.thing);

    triggers() {
      return [this.source.property(spec.from.property)];
    }

    action(_trigger: unknown, _property: string, value: JsonValue) {
      onAction(spec);
      this.target[spec.to.property] = value;
    }
  }
  return MirrorRule;
}

function rotateRule(spec: Extract<RuleSpec, { kind: 'rotate' }>, onAction: ActionHook) {
  class RotateRule extends Rule {
    static title = spec.id;
    source = this.thing(spec.from.thing);
    bulbs: ThingProxy[] = spec.to.map((id) => this.thing(id));
    turn = 0;

    triggers() {
      return [this.source.property(spec.from.property)];
    }

    action() {
      onAction(spec);
      this.turn++;
      const values = spec.values;
      // Each bulb moves one step along the values, so every bulb gets a new one every time.
      this.bulbs.forEach((bulb, i) => {
        bulb[spec.property] = values[(i + this.turn) % values.length];
      });
    }
  }
  return RotateRule;
}
