/**
 * The rules the page can write from a short form (if/while, alarm, dusk-to-time, scene): each
 * template lists its fields for the page, checks them with the RuleThing property rules, and
 * renders a rule file that reads like the examples and is the user's to edit from then on. The
 * things a rule acts on are thing settings, chosen on the new rule as on the ready-made rules.
 */
import { transform } from 'sucrase';
import { ruleId, slugify } from '../../engine/ruleNaming';
import { SOLAR_EVENTS, SolarEventName } from '../../triggers/solarEvents';
import { problemWith, showValue, TIME_OF_DAY_PATTERN, ValueRules } from '../../host/validate';

/** One input of a template's form, as the page draws it. */
export interface TemplateField {
  name: string;
  title: string;
  /** `lines`: one entry a line; `value`: true, false, a number or text. */
  kind: 'text' | 'time' | 'select' | 'lines' | 'value';
  default: string;
  /** For `select`: value → label. */
  options?: Record<string, string>;
  help?: string;
}

/** A template as GET /templates lists it. */
export interface TemplateInfo {
  id: string;
  title: string;
  summary: string;
  fields: TemplateField[];
}

interface Template extends TemplateInfo {
  /** The file's text for checked `values`; `className` is a valid identifier. */
  render(values: Record<string, string>, className: string): string;
}

/** A rule file the page is about to write. */
export interface RenderedRule {
  file: string;
  className: string;
  /** The id the engine will give it (from file and class name). */
  ruleId: string;
  text: string;
}

/** A form value that does not fit: names the field and its allowed form. */
export class TemplateError extends Error {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message);
  }
}

const NAME_RULES: ValueRules = {
  type: 'string',
  pattern: '^[A-Za-z][A-Za-z0-9 _-]{0,59}$',
  form: '1 to 60 letters, digits, spaces, "-" or "_", starting with a letter',
};
const MEMBER_RULES: ValueRules = {
  type: 'string',
  pattern: '^[A-Za-z_][A-Za-z0-9_-]{0,59}$',
  form: 'a property or event name such as "on", "level" or "pressed"',
};
const VALUE_RULES: ValueRules = {
  type: 'string',
  pattern: '^[^\\n\\r]{1,80}$',
  form: 'true, false, a number or text of up to 80 characters',
};
const MAX_SCENE_LINES = 20;

const DAYS = { daily: 'every day', weekdays: 'on weekdays', weekends: 'on weekends' };
const EVENING_EVENTS: SolarEventName[] = [
  'sunset',
  'civilDusk',
  'nauticalDusk',
  'astronomicalDusk',
  'goldenHourEveningStart',
  'blueHourEveningStart',
];

const field = (
  name: string,
  title: string,
  kind: TemplateField['kind'],
  value: string,
  more: Partial<TemplateField> = {}
): TemplateField => ({ name, title, kind, default: value, ...more });

const TEMPLATES: Template[] = [
  {
    id: 'if-while',
    title: 'If / While',
    summary:
      'When a property of one thing has a value, set a property of another; a While rule puts it back afterwards. Choose both things on the new rule.',
    fields: [
      field('kind', 'Kind', 'select', 'if', {
        options: { if: 'If (set once)', while: 'While (undo when it ends)' },
      }),
      field('whenProperty', 'When property', 'text', 'motion'),
      field('whenValue', 'is', 'value', 'true'),
      field('thenProperty', 'Then property', 'text', 'on'),
      field('thenValue', 'becomes', 'value', 'true'),
    ],
    render: (v, className) => {
      const pickers = [
        picker('whenThing', 'When thing', { property: v.whenProperty }),
        picker('thenThing', 'Then thing', { property: v.thenProperty }),
      ];
      const when = 'this.whenThing.thing';
      const whenValue = parseValue(v.whenValue);
      const condition = `${when}[${lit(v.whenProperty)}] === ${lit(whenValue)}`;
      const effect = `this.thenThing.thing[${lit(v.thenProperty)}] = ${lit(parseValue(v.thenValue))};`;
      const whenWords = `{whenThing} ${v.whenProperty} is ${showValue(whenValue)}`;
      if (v.kind === 'while') {
        const description = `${whenWords}, {thenThing} ${v.thenProperty} is ${showValue(parseValue(v.thenValue))}`;
        return file('WhileRule', className, description, [
          ...pickers,
          `  triggers() {\n    return [${when}.property(${lit(v.whenProperty)})];\n  }`,
          `  condition() {\n    return ${condition};\n  }`,
          `  whileTrue() {\n    ${effect}\n  }`,
        ]);
      }
      const description = `${effectWords('{thenThing}', v.thenProperty, v.thenValue)} if ${whenWords}`;
      return file('Rule', className, description, [
        ...pickers,
        `  triggers() {\n    return [${when}.property(${lit(v.whenProperty)})];\n  }`,
        `  action() {\n    if (${condition}) ${effect}\n  }`,
      ]);
    },
  },
  {
    id: 'alarm',
    title: 'Alarm',
    summary:
      'At a time of day, set a property of a thing; the time is a setting of the RuleThing. Choose the thing on the new rule.',
    fields: [
      field('time', 'Time', 'time', '06:30'),
      field('days', 'Days', 'select', 'weekdays', { options: DAYS }),
      field('property', 'Property', 'text', 'on'),
      field('value', 'Value', 'value', 'true'),
    ],
    render: (v, className) =>
      file(
        'Rule',
        className,
        effectWords('{target}', v.property, v.value),
        [
          picker('target', 'Thing', { property: v.property }),
          `  alarm = this.setting('alarmTime', ${lit(v.time)}, { title: 'Alarm time' });`,
          `  triggers() {\n    return [new AbsoluteTimeTrigger(this.alarm, { days: ${lit(v.days)} })];\n  }`,
          `  action() {\n    this.target.thing[${lit(v.property)}] = ${lit(parseValue(v.value))};\n  }`,
        ],
        ['AbsoluteTimeTrigger']
      ),
  },
  {
    id: 'dusk-to-time',
    title: 'Dusk to time',
    summary:
      'Switch a light on at a solar event (it moves with the seasons) and off at a time of day. Choose the light on the new rule.',
    fields: [
      field('event', 'On at', 'select', 'civilDusk', {
        options: Object.fromEntries(EVENING_EVENTS.map((e) => [e, SOLAR_EVENTS[e].phrase])),
      }),
      field('offTime', 'Off at', 'time', '23:00'),
    ],
    render: (v, className) =>
      file(
        'Rule',
        className,
        `turn {light} on at ${SOLAR_EVENTS[v.event as SolarEventName].phrase} and off at {offTime}`,
        [
          picker('light', 'Light', { property: 'on' }),
          `  offAt = this.setting('offTime', ${lit(v.offTime)}, { title: 'Off at' });`,
          `  dusk = new SolarEventTrigger(${lit(v.event)});`,
          `  late = new AbsoluteTimeTrigger(this.offAt);`,
          `  triggers() {\n    return [this.dusk, this.late];\n  }`,
          `  action(trigger: unknown) {\n    this.light.thing.on = trigger === this.dusk;\n  }`,
        ],
        ['AbsoluteTimeTrigger', 'SolarEventTrigger']
      ),
  },
  {
    id: 'scene',
    title: 'Scene',
    summary:
      'When a button is pressed (or any event happens), set several things at once. Choose the button on the new rule.',
    fields: [
      field('event', 'Event', 'text', 'pressed'),
      field(
        'scene',
        'Scene',
        'lines',
        'Porch Light.on = true\nBedside Ikea Light.on = true\nBedside Ikea Light.level = 40',
        { help: 'One line each: Thing title.property = value' }
      ),
    ],
    render: (v, className) => {
      const lines = sceneLines(v.scene);
      const entries = lines.map(([t, p, value]) => `    [${lit(t)}, ${lit(p)}, ${lit(value)}],`);
      const words = lines.map(([t, p, value]) => effectWords(t, p, String(value)));
      return file('Rule', className, andList(words), [
        picker('button', 'Button', { event: v.event }),
        `  scene: [string, string, string | number | boolean][] = [\n${entries.join('\n')}\n  ];`,
        `  triggers() {\n    return [this.button.thing.event(${lit(v.event)})];\n  }`,
        `  action() {\n    for (const [thing, property, value] of this.scene) this.thing(thing)[property] = value;\n  }`,
      ]);
    },
  },
];

/**
 * A thing setting of the rendered rule: the user picks the thing from a drop-down of matching
 * things on the new rule (in the gateway or on the page), as on the ready-made rules.
 */
function picker(
  name: string,
  title: string,
  filter: { property?: string; event?: string }
): string {
  const options = { title, ...filter };
  const shown = Object.entries(options)
    .map(([key, value]) => `${key}: ${lit(value)}`)
    .join(', ');
  return `  ${name} = this.thingSetting(${lit(name)}, { ${shown} });`;
}

/** The templates as the page lists them. */
export function templateList(): TemplateInfo[] {
  return TEMPLATES.map(({ id, title, summary, fields }) => ({ id, title, summary, fields }));
}

/**
 * Checks the form and renders the rule file; throws a TemplateError naming the field and its
 * allowed form when a value does not fit.
 *
 * @example renderRule('alarm', 'Hall light', { time: '07:00' }).file // 'hall-light.ts'
 */
export function renderRule(
  templateId: unknown,
  name: unknown,
  values: Record<string, unknown>
): RenderedRule {
  const template = TEMPLATES.find((t) => t.id === templateId);
  if (!template) {
    throw new TemplateError(
      'template',
      `template ${showValue(templateId)} is not one of ${TEMPLATES.map((t) => `"${t.id}"`).join(', ')}`
    );
  }
  check('name', NAME_RULES, name);
  const words = (name as string).trim().split(/[\s_-]+/);
  const pascal = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  // "Rule" alone keeps its word: the class may not be called Rule, the file not ".ts".
  const base = pascal.replace(/Rule$/, '') || pascal;
  const className = `${base}Rule`;
  // From the class name, so the rule id the engine derives is just the file's name.
  const file = `${slugify(base)}.ts`;

  const checked: Record<string, string> = {};
  for (const f of template.fields) {
    const value = values[f.name] ?? f.default;
    check(f.name, rulesFor(f), value);
    checked[f.name] = (value as string).trim();
  }
  if (template.id === 'scene') sceneLines(checked.scene);
  const text = template.render(checked, className);
  const imported = /^import \{ (.*) \} from 'rule-things';$/m.exec(text)?.[1].split(', ') ?? [];
  if (imported.includes(className)) {
    throw new TemplateError(
      'name',
      `name ${showValue(name)} would make the class ${className}, which the rule file imports from rule-things; choose another name, such as "${(name as string).trim()} Porch"`
    );
  }
  assertLoads(text, file);
  return { file, className, ruleId: ruleId(file, className), text };
}

/** A template that renders a file the engine cannot load is our bug: never report it as written. */
function assertLoads(text: string, file: string): void {
  try {
    const { code } = transform(text, { transforms: ['typescript', 'imports'], filePath: file });
    // Compiled, not run: a syntax error throws here.
    new Function('require', 'module', 'exports', code);
  } catch (error) {
    throw new Error(
      `the template wrote a rule file that does not load (${(error as Error).message})`
    );
  }
}

function rulesFor(f: TemplateField): ValueRules {
  if (f.kind === 'time') return { type: 'string', pattern: TIME_OF_DAY_PATTERN };
  if (f.kind === 'select') return { type: 'string', enum: Object.keys(f.options ?? {}) };
  if (f.kind === 'value') return VALUE_RULES;
  if (f.kind === 'lines')
    return { type: 'string', form: 'lines of "Thing title.property = value"' };
  // Text fields name a property or an event; they go into the file as JSON string literals.
  return MEMBER_RULES;
}

function check(name: string, rules: ValueRules, value: unknown): void {
  const problem = problemWith(rules, typeof value === 'string' ? value.trim() : value);
  if (problem) throw new TemplateError(name, `${name} ${showValue(value)} ${problem}`);
}

/** "Porch Light.on = true" lines as [thing, property, value]; throws naming the bad line. */
function sceneLines(text: string): [string, string, string | number | boolean][] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length === 0 || lines.length > MAX_SCENE_LINES) {
    throw new TemplateError(
      'scene',
      `scene has ${lines.length} lines; give 1 to ${MAX_SCENE_LINES} lines of "Thing title.property = value"`
    );
  }
  return lines.map((line, i) => {
    const match = /^(.{1,80})\.([A-Za-z_][A-Za-z0-9_-]{0,59})\s*=\s*(.{1,80})$/.exec(line);
    if (!match) {
      throw new TemplateError(
        'scene',
        `scene line ${i + 1} ${showValue(line)} is not "Thing title.property = value" (e.g. "Porch Light.on = true")`
      );
    }
    return [match[1].trim(), match[2], parseValue(match[3].trim())];
  });
}

/** "true" → true, "40" → 40, "\"x\"" → "x", anything else → the text itself. */
function parseValue(text: string): string | number | boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^".*"$/.test(text)) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return text;
    }
  }
  return text;
}

/** "turn on Porch Light", "turn off Kettle", "set Bedside Ikea Light level to 40". */
function effectWords(thing: string, property: string, value: string): string {
  const parsed = parseValue(value);
  if (property === 'on' && typeof parsed === 'boolean')
    return `turn ${parsed ? 'on' : 'off'} ${thing}`;
  return `set ${thing} ${property} to ${showValue(parsed)}`;
}

function andList(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** A JavaScript literal of a value: JSON is valid JavaScript, so no input can escape its quotes. */
function lit(value: string | number | boolean): string {
  return JSON.stringify(value);
}

function file(
  base: 'Rule' | 'WhileRule',
  className: string,
  description: string,
  members: string[],
  triggers: string[] = []
): string {
  const imports = [...triggers, base].sort().join(', ');
  return [
    `/** Written by the Rule Things page from a template; edit it as you like. */`,
    `import { ${imports} } from 'rule-things';`,
    ``,
    `export default class ${className} extends ${base} {`,
    `  static description = ${lit(description)};`,
    ``,
    members.join('\n\n'),
    `}`,
    ``,
  ].join('\n');
}
