/**
 * Issue 6, point 9: the access token never appears in logs, statuses, errors or stack traces.
 * The other reliability tests and the Web Thing client's tests run again in a child jest with
 * every log line, status and error echoed, and all of that run's output is searched for tokens.
 */
import { spawnSync } from 'child_process';
import path from 'path';
import { RealClock } from '../../src/clock';
import { WebThingClient } from '../../src/webthing';
import { SimulatorServer } from '../../src/simulator';
import { TOKEN as CLIENT_TEST_TOKEN } from '../webthing/FakeGateway';
import { TOKEN } from './stack';

const ROOT = path.resolve(__dirname, '../..');

function forms(token: string): string[] {
  return [token, encodeURIComponent(token), Buffer.from(token).toString('base64')];
}

test('a whole test run of faults (restarts, refusals, timeouts, crashes) prints no access token', () => {
  const run = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--ci',
      '--colors=false',
      '--testPathIgnorePatterns',
      '09-secrets',
      '10-soak',
      '--',
      'test/reliability',
      'test/webthing',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, RULE_THINGS_ECHO: '1' },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    }
  );
  const output = `${run.stdout}\n${run.stderr}`;

  expect(output).toMatch(/Tests: +\d+ passed, \d+ total/);
  // The echo worked: the faults' own words are in the output that was searched.
  expect(output).toContain('gateway unreachable since');
  expect(output).toContain('HTTP 500');
  expect(output).toContain('no answer within');
  for (const token of [...forms(TOKEN), ...forms(CLIENT_TEST_TOKEN)]) {
    expect(output).not.toContain(token);
  }
}, 240_000);

test('a refused token is reported without it or the right one', async () => {
  const server = new SimulatorServer({ token: TOKEN, log: (line) => lines.push(line) });
  const lines: string[] = [];
  await server.start();
  const wrong = 'wrong.T0ken-for-the-test.9a8b7c';
  const client = new WebThingClient({
    gatewayUrl: server.url,
    token: wrong,
    clock: new RealClock('UTC'),
    logger: (level, message) => lines.push(`${level}: ${message}`),
  });
  const error = (await client.connect().catch((e: Error) => e)) as Error;
  await client.close();
  await server.stop();

  const said = [error.message, error.stack ?? '', ...lines].join('\n');
  expect(error.message).toMatch(/401/);
  for (const token of [...forms(TOKEN), ...forms(wrong)]) expect(said).not.toContain(token);
});
