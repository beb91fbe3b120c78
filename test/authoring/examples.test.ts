/** Every example rule passes `rule-things check` with the thing types of the simulator's seed home, as a rule author would see it. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkRules } from '../../src/authoring/check';
import { formatDiagnostic } from '../../src/authoring/diagnostics';
import { writeThingTypes, THING_TYPES_FILE } from '../../src/authoring/typesFile';
import { seedHome } from '../../src/simulator';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const examples = fs
  .readdirSync(EXAMPLES)
  .filter((name) => name.endsWith('.ts'))
  .sort();

let typesFile: string;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-examples-'));
  const home = seedHome();
  typesFile = path.join(dir, THING_TYPES_FILE);
  writeThingTypes(
    typesFile,
    home.thingIds().map((id) => home.describe(id))
  );
});

describe('the examples with typed things', () => {
  it('are all there (a renamed folder would make this test pass vacuously)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(9);
  });

  it.each(examples)('%s has no errors or warnings', async (name) => {
    const diagnostics = await checkRules([path.join(EXAMPLES, name)], { typesFile });
    expect(diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
  });

  it.each(examples)('%s has no errors without thing types either', async (name) => {
    const diagnostics = await checkRules([path.join(EXAMPLES, name)], { typesOnly: true });
    expect(diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
  });

  it('all check together as one rules folder (no clashes between files)', async () => {
    const files = examples.map((name) => path.join(EXAMPLES, name));
    const diagnostics = await checkRules(files, { typesFile });
    expect(diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
  });
});
