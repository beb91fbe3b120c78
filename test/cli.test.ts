/** The command line: flags as people type them, and what `simulate` tells and returns. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { main } from '../src/cli';

const EXAMPLES = path.resolve(__dirname, '../examples');

/** Runs the CLI in-process; gives its exit status and what it printed. */
async function cli(...args: string[]): Promise<{ status: number; out: string }> {
  const out: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    out.push(parts.map(String).join(' '));
  });
  try {
    return { status: await main(args), out: out.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('rule-things simulate', () => {
  const day = ['--from', '2027-06-14T00:00', '--days', '1'];

  it('takes a southern latitude and a western longitude written as "--lat -33.87"', async () => {
    const porch = path.join(EXAMPLES, 'porch-light.ts');
    const sydney = await cli('simulate', porch, ...day, '--lat', '-33.87', '--lon', '151.21');
    expect(sydney.status).toBe(0);
    expect(sydney.out).toContain('-33.87, 151.21');
    expect(sydney.out).not.toContain("The sun is Berlin's");
    const lima = await cli('simulate', porch, ...day, '--lat', '-12.05', '--lon', '-77.04');
    expect(lima.out).toContain('-12.05, -77.04');
  });

  it('says it used Berlin for the sun, and that a rule waiting for things cannot fire in a dry run', async () => {
    const run = await cli('simulate', path.join(EXAMPLES, 'button-kettle.ts'), ...day);
    expect(run.status).toBe(0);
    expect(run.out).toContain(
      "The sun is Berlin's (52.52, 13.405): give --lat and --lon for yours."
    );
    expect(run.out).toMatch(
      /ButtonKettleRule also waits for Button 1 event "pressed" occurs: nobody changes things in a dry run, so those triggers never fire here\./
    );
  });

  it('exits 1 and names the rule when a rule failed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-simulate-'));
    const file = path.join(dir, 'broken.ts');
    fs.writeFileSync(
      file,
      `import { HeartBeat, Rule } from 'rule-things';
export default class BrokenRule extends Rule {
  triggers() { return [new HeartBeat('1h')]; }
  action() { throw new Error('the lamp is made of cheese'); }
}
`
    );
    const run = await cli('simulate', file, ...day);
    expect(run.status).toBe(1);
    expect(run.out).toContain('Failed:\n  BrokenRule: error in action: the lamp is made of cheese');
  });

  it('refuses a start the clocks skip, naming the gap, instead of moving it an hour', async () => {
    await expect(
      cli(
        'simulate',
        path.join(EXAMPLES, 'porch-light.ts'),
        '--from',
        '2027-03-28T02:30',
        '--tz',
        'Europe/Berlin'
      )
    ).rejects.toThrow(
      'Invalid start: "2027-03-28T02:30" does not exist in Europe/Berlin: the clocks go forward 1 hour that night, skipping it (use 2027-03-28T03:30 for the same instant, or an earlier time)'
    );
  });
});
