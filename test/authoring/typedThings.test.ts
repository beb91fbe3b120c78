/** Tests of the engine's typing hooks: generated thing types narrow `this.things` and `this.thing()`, and stay usable wherever the API takes a thing. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkRules } from '../../src/authoring/check';
import { Diagnostic } from '../../src/authoring/diagnostics';
import { generateThingTypes } from '../../src/authoring/thingTypes';
import { PropertyDescription, ThingDescription } from '../../src/protocol/gateway';
import { seedHome } from '../../src/simulator';

// Things with what the seed lacks: actions, an object property, an enum, a name the proxy owns.
const oddThings: ThingDescription[] = [
  {
    id: 'espresso-1',
    title: 'Espresso Machine',
    properties: {
      mode: { type: 'string', enum: ['eco', 'boost'] },
      recipe: { type: 'object' },
      schedule: { type: 'array' },
      anything: {},
      // a nested schema (more than PropertyDescription declares, as gateways send it)
      position: {
        type: 'object',
        properties: { x: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
        required: ['x'],
      } as PropertyDescription,
      title: { type: 'string' },
      temperature: { type: 'number', minimum: 80, maximum: 96.5, unit: 'degree celsius' },
    },
    actions: {
      brew: { input: { type: 'object', properties: { cups: { type: 'integer', minimum: 1 } } } },
      descale: {},
    },
    events: { done: { type: 'string' } },
  },
  { id: 'empty-1', title: 'Empty', properties: {} },
];

let dir: string;
let typesFile: string;
let names: string[];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typed-things-'));
  const home = seedHome();
  const things = [...home.thingIds().map((id) => home.describe(id)), ...oddThings];
  typesFile = path.join(dir, 'things.d.ts');
  fs.writeFileSync(typesFile, generateThingTypes(things));
  names = [
    ...home.thingIds().map((id) => home.describe(id).title.replace(/ /g, '_')),
    'Espresso_Machine',
    'Empty',
  ];
});

async function typeErrors(source: string, withTypes = true): Promise<string[]> {
  const file = path.join(dir, `rule-${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(file, source);
  const found: Diagnostic[] = await checkRules([file], {
    typesFile: withTypes ? typesFile : undefined,
    typesOnly: true,
  });
  return found.map((d) => `${d.line}: ${d.message}`);
}

describe('typed things', () => {
  it('are ThingProxies and TriggerSources, every one of them', async () => {
    const list = names.map((name) => `this.things.${name}`).join(', ');
    expect(
      await typeErrors(`import { Rule, ThingProxy, TriggerSource } from 'rule-things';
export default class All extends Rule {
  proxies: ThingProxy[] = [${list}];
  triggers(): TriggerSource[] {
    return [${list}, this.things.Espresso_Machine.event('done'), this.things.Porch_Light.property('on')];
  }
}
`)
    ).toEqual([]);
  });

  it('type this.thing() by title and by id, and fall back to ThingProxy for other names', async () => {
    expect(
      await typeErrors(`import { Rule } from 'rule-things';
export default class ByTitle extends Rule {
  action() {
    const porch = this.thing('Porch Light');
    porch.on = true;
    this.thing('espresso-1').mode = 'boost';
    // a name the home does not know: the untyped proxy, checked when the rule runs
    this.thing('Garage Door').opening = 3;
  }
}
`)
    ).toEqual([]);
    expect(
      await typeErrors(`import { Rule } from 'rule-things';
export default class ByTitle extends Rule {
  action() {
    this.thing('Porch Light').on = 1;
    this.thing('espresso-1').mode = 'turbo';
  }
}
`)
    ).toEqual([
      expect.stringMatching(/^4: .*Type 'number' is not assignable to type 'boolean'/),
      expect.stringMatching(/^5: .*Type '"turbo"' is not assignable to type '"eco" \| "boost"'/),
    ]);
  });

  it('type actions, enums and names the proxy owns', async () => {
    expect(
      await typeErrors(`import { Rule } from 'rule-things';
export default class Espresso extends Rule {
  async action() {
    const machine = this.things.Espresso_Machine;
    machine.mode = 'eco';
    await machine.call('brew', { cups: 2 });
    await machine.call('descale');
    await machine.set('title', 'Kitchen espresso');
    const title: string = machine.title;
    this.log.info(title + String(machine.get('title')));
  }
}
`)
    ).toEqual([]);
    expect(
      await typeErrors(`import { Rule } from 'rule-things';
export default class Espresso extends Rule {
  async action() {
    await this.things.Espresso_Machine.call('grind');
    await this.things.Empty.call('anything');
  }
}
`)
    ).toEqual([
      expect.stringMatching(/^4: Espresso_Machine.call\('grind'\): .*no action of this name/),
      expect.stringMatching(
        /^5: Empty.call\('anything'\): .*no action of this name \(it has none\)/
      ),
    ]);
  });

  it('leave this.things open to any name when no types are generated', async () => {
    expect(
      await typeErrors(
        `import { Rule } from 'rule-things';
export default class Untyped extends Rule {
  action() {
    this.things.Anything_At_All.whatever = 42;
    this.thing('Porch Light').on = 'yes';
  }
}
`,
        false
      )
    ).toEqual([]);
  });
});
