/** Finds, through the type checker, which generated thing and property an expression in a rule refers to, and that property's range. */
import * as ts from 'typescript';

/** A property of a generated thing type, as a rule expression reaches it. */
export interface ThingProperty {
  /** The thing's member name in `this.things` ("Bedside_Ikea_Light"). */
  thing: string;
  property: string;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  unit?: string;
}

// generateThingTypes names each thing's type "<member name>_Thing".
const THING_TYPE = /^(.+)_Thing$/;

/** The generated thing type's member name behind `type`, or undefined for anything else. */
export function thingNameOf(type: ts.Type): string | undefined {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const match = symbol && THING_TYPE.exec(symbol.getName());
  // The prelude's members prove it is ours, not a user's class that happens to end in _Thing.
  return match && type.getProperty('fadeTo') && type.getProperty('values') ? match[1] : undefined;
}

function numberTag(tags: ts.JSDocTagInfo[], name: string): number | undefined {
  const tag = tags.find((t) => t.name === name);
  const text = tag?.text?.map((part) => part.text).join('') ?? '';
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) ? value : undefined;
}

/**
 * The thing and property `object.property` refers to, with the range the generated JSDoc tags
 * give (`@minimum`, `@maximum`, `@multipleOf`, `@unit`); undefined if `object` is not a thing.
 * Properties whose names the proxy reserves (`title`, `set` …) are looked up in `values`.
 */
export function lookupThingProperty(
  checker: ts.TypeChecker,
  object: ts.Expression,
  property: string
): ThingProperty | undefined {
  const type = checker.getTypeAtLocation(object);
  const thing = thingNameOf(type);
  if (!thing) return undefined;
  const values = type.getProperty('values');
  const valuesType = values && checker.getTypeOfSymbolAtLocation(values, object);
  const symbol = valuesType?.getProperty(property) ?? type.getProperty(property);
  if (!symbol) return { thing, property };
  const tags = symbol.getJsDocTags(checker);
  const unitTag = tags.find((t) => t.name === 'unit');
  return {
    thing,
    property,
    minimum: numberTag(tags, 'minimum'),
    maximum: numberTag(tags, 'maximum'),
    multipleOf: numberTag(tags, 'multipleOf'),
    unit:
      unitTag?.text
        ?.map((part) => part.text)
        .join('')
        .trim() || undefined,
  };
}

/** The number a literal expression stands for (`120`, `-5`), or undefined if it is not a numeric literal. */
export function numericLiteral(node: ts.Expression): number | undefined {
  let inner: ts.Expression = node;
  while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
  if (ts.isNumericLiteral(inner)) return Number(inner.text);
  if (
    ts.isPrefixUnaryExpression(inner) &&
    (inner.operator === ts.SyntaxKind.MinusToken || inner.operator === ts.SyntaxKind.PlusToken) &&
    ts.isNumericLiteral(inner.operand)
  ) {
    const value = Number(inner.operand.text);
    return inner.operator === ts.SyntaxKind.MinusToken ? -value : value;
  }
  return undefined;
}

/** Why `value` is outside the range of `target`, in the simulator's words, or null when it fits. */
export function rangeProblem(target: ThingProperty, value: number): string | null {
  if (target.minimum !== undefined && value < target.minimum) {
    return `${value} is below the minimum ${target.minimum}`;
  }
  if (target.maximum !== undefined && value > target.maximum) {
    return `${value} is above the maximum ${target.maximum}`;
  }
  const step = target.multipleOf;
  // Divide rather than use %, which misjudges decimal steps such as 0.1.
  if (step && Math.abs(value / step - Math.round(value / step)) > 1e-9) {
    return `${value} is not a multiple of ${step}`;
  }
  return null;
}

/** "0–100 %" for a message, or "" when the property has no range. */
export function rangeWords(target: ThingProperty): string {
  const unit = target.unit === 'percent' ? ' %' : target.unit ? ` ${target.unit}` : '';
  if (target.minimum !== undefined && target.maximum !== undefined) {
    return `${target.minimum}–${target.maximum}${unit}`;
  }
  if (target.minimum !== undefined) return `at least ${target.minimum}${unit}`;
  if (target.maximum !== undefined) return `at most ${target.maximum}${unit}`;
  return '';
}

/** A property write in a rule: `thing.prop = value`, `thing.set('prop', value)` or `thing.fadeTo('prop', value, d)`. */
export interface PropertyWrite {
  /** The expression of the thing. */
  object: ts.Expression;
  property: string;
  value: ts.Expression;
}

/** The property write `node` is, if it is one. */
export function propertyWrite(node: ts.Node): PropertyWrite | undefined {
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(node.left)
  ) {
    return { object: node.left.expression, property: node.left.name.text, value: node.right };
  }
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isElementAccessExpression(node.left) &&
    ts.isStringLiteralLike(node.left.argumentExpression)
  ) {
    return {
      object: node.left.expression,
      property: node.left.argumentExpression.text,
      value: node.right,
    };
  }
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    (node.expression.name.text === 'set' || node.expression.name.text === 'fadeTo') &&
    node.arguments.length >= 2 &&
    ts.isStringLiteralLike(node.arguments[0])
  ) {
    return {
      object: node.expression.expression,
      property: node.arguments[0].text,
      value: node.arguments[1],
    };
  }
  return undefined;
}
