/** Tests of generateThingTypes: the seed home's declarations compile, and they say what the devices say. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { compilerOptions } from '../../src/authoring/typeCheck';
import { generateThingTypes, GENERATED_MARKER } from '../../src/authoring/thingTypes';
import { ThingDescription } from '../../src/protocol/gateway';
import { buildNameTable } from '../../src/engine/names';
import { seedHome } from '../../src/simulator';

const API = path.resolve(__dirname, '../../src/api.ts');

function seedDescriptions(): ThingDescription[] {
  const home = seedHome();
  return home.thingIds().map((id) => home.describe(id));
}

/** Compiler errors of a generated file, checked in full (not skipped as a library file would be). */
function compileErrors(text: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thing-types-'));
  const file = path.join(dir, 'things.d.ts');
  fs.writeFileSync(file, text);
  const program = ts.createProgram([file], { ...compilerOptions(API), skipLibCheck: false });
  return [
    ...program.getSyntacticDiagnostics(),
    ...program.getSemanticDiagnostics(program.getSourceFile(file)),
  ].map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe('generateThingTypes', () => {
  const text = generateThingTypes(seedDescriptions());

  it('writes declarations for the seed home that compile without errors', () => {
    expect(compileErrors(text)).toEqual([]);
  });

  it('starts with the marker and augments the rule-things module', () => {
    expect(text.startsWith(GENERATED_MARKER)).toBe(true);
    expect(text).toContain("declare module 'rule-things' {");
    expect(text).toContain('interface KnownThings {');
    expect(text.trimEnd().endsWith('export {};')).toBe(true);
  });

  it('declares things with titles in other languages under their own letters, and compiles', () => {
    const light = (id: string, title: string): ThingDescription => ({
      id,
      title,
      properties: { on: { type: 'boolean' } },
    });
    const text = generateThingTypes([light('kueche', 'Küchenlicht'), light('kitchen-ru', 'Кухня')]);
    expect(text).toContain('readonly Küchenlicht: Küchenlicht_Thing;');
    expect(text).toContain('readonly Кухня: Кухня_Thing;');
    expect(compileErrors(text)).toEqual([]);
  });

  it("leaves the add-on's own things (RuleThings, Sun) out of this.things", () => {
    const thing = (id: string, title: string): ThingDescription => ({
      id,
      title,
      properties: { on: { type: 'boolean' } },
    });
    const text = generateThingTypes([
      thing('zwave-porch-lamp', 'Porch Lamp'),
      thing('rule-things-porch-lamp', 'Porch Lamp'),
      thing('rule-things-sun', 'Sun'),
    ]);
    expect(text).toContain('readonly Porch_Lamp: Porch_Lamp_Thing;');
    expect(text).not.toContain('rule-things-');
    expect(text).not.toMatch(/readonly Sun\b/);
    expect(compileErrors(text)).toEqual([]);
  });

  it('gives every thing the member name the engine gives it', () => {
    for (const name of buildNameTable(seedDescriptions()).byName.keys()) {
      expect(text).toContain(`readonly ${name}: ${name}_Thing;`);
    }
  });

  it('types the 0–100 brightness as a literal union and says so in the hover text', () => {
    expect(text).toMatch(/type Integer_0_to_100 = 0 \| 1 \| 2 \|[^;]* 99 \| 100;/);
    expect(text).toContain('level: Integer_0_to_100;');
    expect(text).toContain('**Brightness** (`level`) — BrightnessProperty, integer, 0–100 %.');
    expect(text).toContain('@maximum 100');
  });

  it('marks read-only properties readonly and leaves them out of set()', () => {
    expect(text).toContain('readonly motion: boolean;');
    expect(text).toMatch(
      /interface Motion_Sensor_Thing extends TypedThingBase<Motion_Sensor_Thing_Values, never, never>/
    );
  });

  it('names events so that event() accepts only those of the thing', () => {
    expect(text).toMatch(
      /interface Button_1_Thing extends TypedThingBase<Button_1_Thing_Values, never, 'pressed'>/
    );
    expect(text).toContain("event(name: 'pressed'): ReturnType<ThingMembers['event']>;");
  });

  it('writes the same text whatever order the gateway lists the things in', () => {
    expect(generateThingTypes([...seedDescriptions()].reverse())).toBe(text);
  });

  it('keeps both things of a colliding title reachable, under the names buildNameTable gives', () => {
    const things: ThingDescription[] = [
      { id: 'lamp-b', title: 'Desk Lamp', properties: { on: { type: 'boolean' } } },
      { id: 'lamp-a', title: 'Desk Lamp', properties: { on: { type: 'boolean' } } },
    ];
    const out = generateThingTypes(things);
    expect(out).toContain('readonly Desk_Lamp: Desk_Lamp_Thing;');
    expect(out).toContain('readonly Desk_Lamp__lamp_b: Desk_Lamp__lamp_b_Thing;');
    expect(out).toContain('// Note: Things "lamp-a" and "lamp-b" both sanitize to "Desk_Lamp"');
    // An ambiguous title must not be a key of thing('…'); the ids are.
    expect(out).not.toContain("'Desk Lamp':");
    expect(out).toContain("'lamp-a': Desk_Lamp_Thing;");
    expect(compileErrors(out)).toEqual([]);
  });

  it('types enums, wide ranges, odd names, actions and reserved names', () => {
    const thing: ThingDescription = {
      id: 'thermostat-1',
      title: '01 Thermostat */',
      description: 'Hall thermostat',
      properties: {
        mode: { title: 'Mode', type: 'string', enum: ['heat', 'cool', 'off'] },
        target: {
          title: 'Target',
          type: 'number',
          minimum: 5,
          maximum: 30,
          unit: 'degree celsius',
        },
        'colour-temp': { type: 'integer', minimum: 2200, maximum: 6500, unit: 'kelvin' },
        step: { type: 'integer', minimum: 0, maximum: 1000, multipleOf: 10 },
        title: { type: 'string' },
        temperature: { type: 'number', readOnly: true },
      },
      actions: {
        boost: {
          title: 'Boost',
          input: {
            type: 'object',
            properties: { minutes: { type: 'integer', minimum: 1, maximum: 60 } },
            required: ['minutes'],
          },
        },
        reset: { title: 'Reset' },
      },
    };
    const out = generateThingTypes([thing]);
    expect(out).toContain('readonly _01_Thermostat___: _01_Thermostat____Thing;');
    expect(out).toContain("mode: 'heat' | 'cool' | 'off';");
    expect(out).toContain('target: number;');
    expect(out).toContain('@minimum 5');
    expect(out).toContain("'colour-temp': number;");
    expect(out).toContain('step: Integer_0_to_1000_step_10;');
    expect(out).toContain(
      "call(name: 'boost', input: { minutes: Integer_1_to_60 }): Promise<void>;"
    );
    expect(out).toContain("call(name: 'reset'): Promise<void>;");
    expect(out).toContain('// title: reach with get()/set()');
    // The title's "*/" must not end the JSDoc comment early.
    expect(compileErrors(out)).toEqual([]);
  });
});
