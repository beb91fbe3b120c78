/** Turns the JSON-schema parts of thing descriptions (property, action input, event data) into TypeScript type text and hover text. */
import type { JsonValue, PropertyDescription } from '../protocol/gateway';

/**
 * The schema fields a property, an action's input or an event's data may carry: a property's
 * value fields, with any JSON-schema type name and the nesting of objects and arrays.
 */
export interface ValueSchema extends Omit<PropertyDescription, 'type' | 'forms' | 'links'> {
  type?: string;
  properties?: Record<string, ValueSchema>;
  required?: string[];
  items?: ValueSchema;
}

/**
 * Integer ranges up to this many values become a union of numeric literals, so that the compiler
 * itself rejects `level = 120`; larger ones would bloat the file and slow the editor for little gain.
 */
export const MAX_LITERAL_UNION = 101;

/** A named alias the file must declare, e.g. `Integer_0_to_100 = 0 | 1 | … | 100`. */
export interface RangeAlias {
  name: string;
  text: string;
  doc: string;
}

/** Collects the range aliases used while typing, so that each is declared once. */
export class AliasCollector {
  // alias name -> its declaration
  readonly aliases = new Map<string, RangeAlias>();

  add(alias: RangeAlias): string {
    this.aliases.set(alias.name, alias);
    return alias.name;
  }
}

const UNIT_SYMBOLS: Record<string, string> = {
  percent: '%',
  degree: '°',
  'degree celsius': '°C',
  'degree fahrenheit': '°F',
  celsius: '°C',
  fahrenheit: '°F',
  kelvin: 'K',
  watt: 'W',
  volt: 'V',
  ampere: 'A',
  hertz: 'Hz',
  lux: 'lx',
  second: 's',
  seconds: 's',
  minute: 'min',
  hour: 'h',
};

/** "percent" → "%", other units unchanged, for short hover text. */
export function unitSymbol(unit: string | undefined): string {
  if (!unit) return '';
  return UNIT_SYMBOLS[unit.toLowerCase()] ?? unit;
}

/** A TypeScript literal for a JSON value of an enum ("on" → `'on'`). */
function literal(value: JsonValue): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return JSON.stringify(value);
  }
  // Objects and arrays in an enum cannot be literal types; any JSON value keeps them assignable.
  return 'JsonValue';
}

/** A single-quoted TypeScript string literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** True when `name` can be written as `obj.name` in TypeScript. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/** `name` as a member key: bare when it is an identifier, quoted otherwise ("color-temp" → `'color-temp'`). */
export function memberKey(name: string): string {
  return isIdentifier(name) ? name : quote(name);
}

/** "-5" → "minus5", "2.5" → "2_5": a number as part of an identifier. */
function idPart(n: number): string {
  return String(n).replace('-', 'minus').replace('.', '_');
}

/** The integer steps of a schema when it is small enough for a literal union, else null. */
function integerSteps(schema: ValueSchema): number[] | null {
  const { minimum, maximum } = schema;
  if (minimum === undefined || maximum === undefined || maximum < minimum) return null;
  const step = schema.multipleOf ?? 1;
  const integral =
    schema.type === 'integer' || (schema.type === 'number' && schema.multipleOf !== undefined);
  // Decimal steps (0.1) would give literals such as 0.30000000000000004 that no one can type.
  if (!integral || !Number.isInteger(step) || step <= 0) return null;
  const first = Math.ceil(minimum / step) * step;
  const count = Math.floor((maximum - first) / step) + 1;
  if (count < 1 || count > MAX_LITERAL_UNION) return null;
  return Array.from({ length: count }, (_, i) => first + i * step);
}

/**
 * The TypeScript type of a value described by `schema`. Small integer ranges use a named literal
 * union registered with `aliases`; everything else that the type system cannot bound stays `number`
 * and carries `@minimum`/`@maximum` tags (see `valueDoc`) that `checkRules` and the engine enforce.
 */
export function schemaType(schema: ValueSchema | undefined, aliases: AliasCollector): string {
  // Values are JSON whatever the schema leaves open, and JsonValue keeps a typed thing a ThingProxy.
  if (!schema) return 'JsonValue';
  if (schema.enum && schema.enum.length > 0) {
    return [...new Set(schema.enum.map(literal))].join(' | ');
  }
  switch (schema.type) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'null':
      return 'null';
    case 'integer':
    case 'number': {
      const steps = integerSteps(schema);
      if (!steps) return 'number';
      const step = schema.multipleOf ?? 1;
      const first = steps[0];
      const last = steps[steps.length - 1];
      const name =
        `Integer_${idPart(first)}_to_${idPart(last)}` + (step === 1 ? '' : `_step_${idPart(step)}`);
      return aliases.add({
        name,
        text: steps.join(' | '),
        doc: `An integer from ${first} to ${last}${step === 1 ? '' : ` in steps of ${step}`}.`,
      });
    }
    case 'object': {
      if (!schema.properties) return '{ [key: string]: JsonValue }';
      const required = new Set(schema.required ?? []);
      const members = Object.entries(schema.properties).map(
        ([key, inner]) =>
          `${memberKey(key)}${required.has(key) ? '' : '?'}: ${schemaType(inner, aliases)}`
      );
      return `{ ${members.join('; ')} }`;
    }
    case 'array':
      return schema.items ? `Array<${schemaType(schema.items, aliases)}>` : 'JsonValue[]';
    default:
      return 'JsonValue';
  }
}

/** "0–100 %", "≥ 0 W", "" : the range and unit of a numeric schema in words. */
export function rangeText(schema: ValueSchema): string {
  const unit = unitSymbol(schema.unit);
  const suffix = unit ? ` ${unit}` : '';
  const { minimum, maximum } = schema;
  let text = '';
  if (minimum !== undefined && maximum !== undefined) text = `${minimum}–${maximum}${suffix}`;
  else if (minimum !== undefined) text = `≥ ${minimum}${suffix}`;
  else if (maximum !== undefined) text = `≤ ${maximum}${suffix}`;
  else if (unit) text = `in ${unit}`;
  if (schema.multipleOf !== undefined) text += `${text ? ', ' : ''}steps of ${schema.multipleOf}`;
  return text;
}

/**
 * The JSDoc lines for a value: title, description, kind, range and unit in words, then
 * machine-readable `@minimum`/`@maximum`/`@multipleOf` tags that `checkRules` reads back through
 * the compiler, so an out-of-range literal is caught even where the type is a plain `number`.
 */
export function valueDoc(name: string, schema: ValueSchema): string[] {
  const lines: string[] = [];
  const title =
    schema.title && schema.title !== name
      ? `**${oneLine(schema.title)}** (\`${oneLine(name)}\`)`
      : `\`${oneLine(name)}\``;
  const facts: string[] = [];
  if (schema['@type']) facts.push(schema['@type']);
  if (schema.type) facts.push(schema.type);
  const range = rangeText(schema);
  if (range) facts.push(range);
  if (schema.enum) facts.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (schema['@type'] === 'ColorProperty') facts.push('"#rrggbb"');
  if (schema.readOnly) facts.push('read-only');
  lines.push(facts.length ? `${title} — ${facts.join(', ')}.` : `${title}.`);
  if (schema.description) lines.push('', oneLine(schema.description));
  if (schema.unit) lines.push(`@unit ${schema.unit}`);
  if (typeof schema.minimum === 'number') lines.push(`@minimum ${schema.minimum}`);
  if (typeof schema.maximum === 'number') lines.push(`@maximum ${schema.maximum}`);
  if (typeof schema.multipleOf === 'number') lines.push(`@multipleOf ${schema.multipleOf}`);
  return lines;
}

/** Text safe inside a JSDoc block: one line, no comment terminator. */
export function oneLine(text: string): string {
  return text.replace(/\*\//g, '* /').replace(/\s+/g, ' ').trim();
}

/** A JSDoc block indented by `indent`. */
export function jsDoc(lines: string[], indent: string): string {
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`).join('\n')}\n${indent} */\n`;
}
