/**
 * The `rule-things` command as real child processes: `npm start` and the runner stop on SIGTERM
 * as on Ctrl-C (node exits, the port is free); the serve token is made once, kept with mode
 * 0600 and printed only then; the gateway token is read from a file, and one on the command
 * line draws a warning.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import fetch from 'node-fetch';
import { seedHome, SimulatorServer } from '../../src/simulator';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = [process.execPath, '-r', 'sucrase/register', 'src/cli.ts'];

let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-things-cli-'));
});

afterAll(() => {
  // Each child leads its own process group: nothing it started outlives a failed test.
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The environment without any RULE_THINGS_ variable of the developer's shell. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const name of Object.keys(env)) {
    if (name.startsWith('RULE_THINGS_') && !(name in extra)) delete env[name];
  }
  return env;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(command: string[], env = cleanEnv()): Started {
  const child = spawn(command[0], command.slice(1), { cwd: ROOT, env, detached: true });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until<T>(find: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`${what}: not seen in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function servedAt(started: Started): Promise<string> {
  return until(
    () => /served as Web Things at (http:\/\/127\.0\.0\.1:\d+)/.exec(started.output())?.[1],
    'the served address'
  );
}

/** Whether something accepts connections at `url` now. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const runArgs = () => ['--port', '0', '--state', path.join(dir, 'state', 'state.json')];

describe('the runner on SIGTERM', () => {
  it('`npm start` exits and frees its port, and its served things needed the token it printed once', async () => {
    const started = launch(['npm', 'start', '--silent', '--', ...runArgs()]);
    const url = await servedAt(started);
    const tokenFile = path.join(dir, 'state', 'serve-token');
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(started.output()).toContain(`\n  ${token}\n`);
    expect(started.output()).toContain('authentication method "jwt"');
    expect((await fetch(`${url}/`)).status).toBe(401);
    const things = await fetch(`${url}/`, { headers: { Authorization: `Bearer ${token}` } });
    expect(things.status).toBe(200);

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(await listening(url)).toBe(false);
  }, 120_000);

  it('the runner itself exits with 0 and frees its port, and does not print the saved token again', async () => {
    const token = fs.readFileSync(path.join(dir, 'state', 'serve-token'), 'utf8').trim();
    const started = launch([...CLI, ...runArgs()]);
    const url = await servedAt(started);
    // The line after the address may arrive in a later chunk of the child's stdout.
    await until(
      () => (started.output().includes('Clients need the serve token from') ? true : undefined),
      'where the serve token is'
    );
    expect(started.output()).not.toContain(token);

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(await listening(url)).toBe(false);
  }, 120_000);
});

describe('the gateway token', () => {
  let simulator: SimulatorServer;
  const TOKEN = 'cli-test-gateway-token-3e8a1f';
  beforeAll(async () => {
    simulator = new SimulatorServer({ token: TOKEN, home: seedHome() });
    await simulator.start();
  });
  afterAll(() => simulator.stop());

  it('is read from --token-file without a warning', async () => {
    const file = path.join(dir, 'gateway-token');
    fs.writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
    const started = launch([...CLI, 'types', '--gateway', simulator.url, '--token-file', file]);
    expect(await started.exited).toBe(0);
    expect(started.output()).toContain('readonly Kettle');
    expect(started.output()).not.toContain('warning');
    expect(started.output()).not.toContain(TOKEN);
  }, 60_000);

  it('on the command line works, with a warning that other users can read it', async () => {
    const started = launch([...CLI, 'types', '--gateway', simulator.url, '--token', TOKEN]);
    expect(await started.exited).toBe(0);
    expect(started.output()).toContain('readonly Kettle');
    expect(started.output()).toMatch(/warning: --token .* other users of this machine \(ps\)/);
  }, 60_000);
});
