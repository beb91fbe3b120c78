/** Tests of keepThingTypesCurrent and the rules folder's tsconfig.json: real folders, the simulated home changing, a virtual clock. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import {
  keepThingTypesCurrent,
  rulesTsconfig,
  TSCONFIG_MARKER,
  writeRulesTsconfig,
} from '../../src/authoring/keepTypesCurrent';
import { generateThingTypes } from '../../src/authoring/thingTypes';
import { THING_TYPES_FILE } from '../../src/authoring/typesFile';
import { VirtualClock } from '../../src/clock';
import { LocalGateway, seedHome, SimulatedHome } from '../../src/simulator';

const API = path.resolve(__dirname, '../../src/api.ts');

let folder: string;
let clock: VirtualClock;
let home: SimulatedHome;
let gateway: LocalGateway;
let logs: string[];
const stops: (() => void)[] = [];

const typesPath = (): string => path.join(folder, THING_TYPES_FILE);
const typesText = (): string => fs.readFileSync(typesPath(), 'utf8');
const expected = (): string => generateThingTypes(home.thingIds().map((id) => home.describe(id)));

function keep(): void {
  stops.push(
    keepThingTypesCurrent(gateway, folder, (level, message) => logs.push(`${level}: ${message}`), {
      clock,
      quietMs: 500,
      apiFile: API,
    })
  );
}

const kettle = {
  id: 'sim-kettle-2',
  title: 'Tea Kettle',
  properties: { on: { type: 'boolean' as const, value: false } },
};

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keep-types-'));
  clock = new VirtualClock('2027-03-26T00:00', 'Europe/Berlin');
  home = seedHome(clock);
  gateway = new LocalGateway(home, clock);
  logs = [];
});

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('keepThingTypesCurrent', () => {
  it('writes the types at once when the gateway is connected, with a tsconfig.json', async () => {
    await gateway.connect();
    keep();
    expect(typesText()).toBe(expected());
    expect(fs.readFileSync(path.join(folder, 'tsconfig.json'), 'utf8')).toBe(rulesTsconfig(API));
    expect(logs).toEqual([
      `info: wrote ${path.join(folder, 'tsconfig.json')} for editors`,
      `info: wrote ${typesPath()} (13 things)`,
    ]);
  });

  it('keeps the last file until the gateway has reported its things', async () => {
    fs.writeFileSync(typesPath(), expected());
    home.removeThing('sim-porch-light');
    keep();
    await clock.advance('10s');
    expect(typesText()).toContain('Porch_Light');
    await gateway.connect();
    await clock.advance('499ms');
    expect(typesText()).toContain('Porch_Light');
    await clock.advance('1ms');
    expect(typesText()).toBe(expected());
    expect(typesText()).not.toContain('Porch_Light');
  });

  it('rewrites once after a burst of changes: a thing added, renamed and removed', async () => {
    await gateway.connect();
    keep();
    logs = [];
    home.addThing(kettle);
    await clock.advance('300ms');
    home.renameThing('sim-kettle-2', 'Green Tea Kettle');
    await clock.advance('300ms');
    home.removeThing('sim-button-2');
    await clock.advance('499ms');
    expect(typesText()).not.toContain('Green_Tea_Kettle');
    await clock.advance('1ms');
    expect(typesText()).toBe(expected());
    expect(typesText()).toContain('readonly Green_Tea_Kettle: Green_Tea_Kettle_Thing;');
    expect(typesText()).not.toContain('Button_2');
    expect(logs).toEqual([`info: wrote ${typesPath()} (13 things)`]);
  });

  it('writes nothing when nothing in the descriptions changed', async () => {
    await gateway.connect();
    keep();
    const before = fs.statSync(typesPath()).mtimeMs;
    logs = [];
    home.setConnected('sim-porch-light', false);
    home.writeProperty('sim-porch-light', 'on', true);
    gateway.dropConnection();
    gateway.restoreConnection();
    await clock.advance('1s');
    expect(fs.statSync(typesPath()).mtimeMs).toBe(before);
    expect(logs).toEqual([]);
  });

  it('never overwrites a hand-written things.d.ts, and says so once', async () => {
    fs.writeFileSync(typesPath(), '// mine\n');
    await gateway.connect();
    keep();
    home.addThing(kettle);
    await clock.advance('1s');
    home.removeThing('sim-kettle-2');
    await clock.advance('1s');
    expect(typesText()).toBe('// mine\n');
    expect(logs.filter((l) => l.startsWith('warn:'))).toEqual([
      expect.stringMatching(
        /^warn: could not write the thing types: Not overwriting .*things\.d\.ts/
      ),
    ]);
  });

  it('stops when cancelled', async () => {
    await gateway.connect();
    keep();
    stops.pop()!();
    home.addThing(kettle);
    await clock.advance('1s');
    expect(typesText()).not.toContain('Tea_Kettle');
    expect(clock.pending()).toBe(0);
  });
});

describe("the rules folder's tsconfig.json", () => {
  it('maps rule-things to the absolute path of the running package', () => {
    const parsed = ts.parseConfigFileTextToJson('tsconfig.json', rulesTsconfig(API));
    expect(parsed.error).toBeUndefined();
    expect(parsed.config.compilerOptions.paths).toEqual({ 'rule-things': [API] });
    expect(path.isAbsolute(parsed.config.compilerOptions.paths['rule-things'][0])).toBe(true);
  });

  it('leaves an author’s tsconfig.json alone and refreshes ours when the add-on moved', () => {
    const file = path.join(folder, 'tsconfig.json');
    fs.writeFileSync(file, '{ "compilerOptions": {} }\n');
    expect(writeRulesTsconfig(folder, API)).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('{ "compilerOptions": {} }\n');

    fs.writeFileSync(file, rulesTsconfig('/old/place/lib/api.d.ts'));
    expect(writeRulesTsconfig(folder, API)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(rulesTsconfig(API));
    expect(fs.readFileSync(file, 'utf8').startsWith(TSCONFIG_MARKER)).toBe(true);
    expect(writeRulesTsconfig(folder, API)).toBe(false);
  });

  it('lets an editor opened on the folder resolve rule-things and the home’s things', async () => {
    await gateway.connect();
    keep();
    fs.writeFileSync(
      path.join(folder, 'wake.ts'),
      `import { Rule } from 'rule-things';

export default class Wake extends Rule {
  action() {
    this.things.Bedside_Ikea_Light.on = true;
    this.things.Bedside_Ikea_Ligt.on = true;
  }
}
`
    );
    // What tsserver does with the folder: read tsconfig.json (comments allowed), take every file.
    const config = ts.readConfigFile(path.join(folder, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, folder);
    expect(parsed.errors).toEqual([]);
    expect(parsed.fileNames.map((f) => path.basename(f)).sort()).toEqual([
      THING_TYPES_FILE,
      'wake.ts',
    ]);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const wake = program.getSourceFile(path.join(folder, 'wake.ts'))!;
    const errors = ts
      .getPreEmitDiagnostics(program, wake)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
    expect(errors).toEqual([
      expect.stringMatching(
        /^Property 'Bedside_Ikea_Ligt' does not exist on type 'KnownThings'. Did you mean 'Bedside_Ikea_Light'\?/
      ),
    ]);
  });
});
