#!/usr/bin/env node
/**
 * The `rule-things` command: runs rules outside the gateway (against a gateway, or against the
 * built-in simulated home), and the authoring tools `types`, `check` and `simulate`.
 */
import fs from 'fs';
import path from 'path';
import { parseArgs } from 'util';
import { randomBytes } from 'crypto';
import { checkRules, hasErrors } from './authoring/check';
import { formatDiagnostic } from './authoring/diagnostics';
import { simulateRule, simulationJson } from './authoring/simulate';
import { generateThingTypes } from './authoring/thingTypes';
import { writeThingTypes } from './authoring/typesFile';
import { assertZone, RealClock, systemZone } from './clock';
import type { ThingState } from './protocol/gateway';
import { DEFAULT_LOOP_GUARD } from './engine/LoopGuard';
import { printEngineMessage } from './standalone/consoleLog';
import { runStandalone, StandaloneRunner } from './standalone/runStandalone';
import { loadServeToken, ServeToken } from './standalone/serveToken';
import { seedHome, SimulatorServer } from './simulator';
import { WebThingClient } from './webthing';

const PACKAGE_ROOT = path.resolve(__dirname, '..');
const EXAMPLES = path.join(PACKAGE_ROOT, 'examples');
// The demo's sun: Berlin, so dusk and dawn rules have a real place to follow.
const DEMO_PLACE = { latitude: 52.52, longitude: 13.405 };

const USAGE = `Usage:
  rule-things [run] [options]          run rules (no --gateway: the simulated home and examples/)
  rule-things types [--out FILE]       write TypeScript declarations of the gateway's things
  rule-things check FILE... [--types F] type-check rule files (with F, default the things.d.ts
                                       beside them) and validate their triggers
  rule-things simulate FILE... --from ISO [--days 7] [--json]   dry run on a virtual clock
                                       [--set NAME=VALUE]... (a setting; a thing by title)

Options (each also read from the environment variable in brackets):
  --gateway URL          the gateway, e.g. http://127.0.0.1:8080   [RULE_THINGS_GATEWAY]
  --token-file FILE      file holding a local authorization (Settings → Developer)
                                                                   [RULE_THINGS_TOKEN_FILE]
                         or the token itself in                    [RULE_THINGS_TOKEN]
  --token TOKEN          the token on the command line: other users of this machine can read
                         it (ps); prefer --token-file or RULE_THINGS_TOKEN
  --rules DIR            folder of *.ts / *.js rule files           [RULE_THINGS_RULES]
  --tz ZONE              IANA time zone (default: this machine's)  [RULE_THINGS_TZ]
  --lat DEG --lon DEG    where the sun is computed                 [RULE_THINGS_LAT, RULE_THINGS_LON]
  --accept-self-signed   accept the gateway's own https certificate
  --port N               serve the rules as Web Things on this port (default 8888; 0: a free one) [RULE_THINGS_PORT]
  --host ADDR            address to serve them on (default 127.0.0.1; 0.0.0.0: every address)
  --allow-host NAME      a further name clients use for this machine (repeatable)
  --serve-token-file F   file holding the token clients must send to the served RuleThings
                         (default: one made on the first run, kept beside --state)
                                                                   [RULE_THINGS_SERVE_TOKEN]
  --tls-cert FILE --tls-key FILE   serve them over https (PEM files)
  --no-serve             do not serve the rules as Web Things
  --state FILE           where enabled flags and settings are kept (default .rule-things/state.json)
  --loop-guard-rate N    most firings per minute that rules' writes may cause a rule before it
                         is paused as a loop (default 1200; people and sensors never count)
  --verbose              also print firings that changed nothing
  --help                 this text`;

const OPTIONS = {
  gateway: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  rules: { type: 'string' },
  tz: { type: 'string' },
  lat: { type: 'string' },
  lon: { type: 'string' },
  'accept-self-signed': { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'serve-token-file': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'no-serve': { type: 'boolean' },
  state: { type: 'string' },
  'loop-guard-rate': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  out: { type: 'string' },
  types: { type: 'string' },
  from: { type: 'string' },
  days: { type: 'string' },
  rule: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  set: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parse>['values'];

function parse(args: string[]) {
  return parseArgs({
    args: joinNegativeValues(args),
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
}

/**
 * `--lat -33.87` as `--lat=-33.87`: parseArgs takes a value that starts with "-" for an unknown
 * flag, and every southern latitude and western longitude does.
 */
function joinNegativeValues(args: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    const option = name === undefined ? undefined : OPTIONS[name as keyof typeof OPTIONS];
    if (option?.type === 'string' && /^-\d/.test(args[i + 1] ?? '')) {
      joined.push(`${args[i]}=${args[i + 1]}`);
      i++;
    } else joined.push(args[i]);
  }
  return joined;
}

/** A flag, else its environment variable. */
function option(
  flags: Flags,
  name: 'gateway' | 'token' | 'token-file' | 'rules' | 'tz' | 'lat' | 'lon' | 'port'
) {
  return (
    (flags[name] as string | undefined) ??
    process.env[`RULE_THINGS_${name.toUpperCase().replace('-', '_')}`]
  );
}

/**
 * The gateway's access token: --token-file, else RULE_THINGS_TOKEN, else --token (with a warning,
 * since a command line is visible to every user of the machine).
 */
function gatewayToken(flags: Flags): string | undefined {
  const file = option(flags, 'token-file');
  if (file !== undefined) {
    let token: string;
    try {
      token = fs.readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new UsageError(`could not read --token-file ${file}: ${(error as Error).message}`);
    }
    if (!token) throw new UsageError(`--token-file ${file} is empty`);
    return token;
  }
  if (flags.token !== undefined) {
    console.error(
      'rule-things: warning: --token on the command line can be read by other users of this machine (ps); use --token-file FILE or RULE_THINGS_TOKEN'
    );
  }
  return option(flags, 'token');
}

function numberOption(flags: Flags, name: 'lat' | 'lon', min: number, max: number) {
  const text = option(flags, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} "${text}" is not a number from ${min} to ${max}`);
  }
  return value;
}

/** --lat and --lon as a place, or undefined without --lat. */
function placeOption(flags: Flags): { latitude: number; longitude: number } | undefined {
  const latitude = numberOption(flags, 'lat', -90, 90);
  if (latitude === undefined) return undefined;
  return { latitude, longitude: numberOption(flags, 'lon', -180, 180) ?? 0 };
}

/** "--set light=Porch Light" pairs as { light: 'Porch Light' }. */
function settingsOption(pairs: string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1)
      throw new UsageError(`--set "${pair}" is not NAME=VALUE (e.g. --set light="Porch Light")`);
    settings[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return settings;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parse(argv);
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const [command = 'run', ...files] = positionals;
  const zone = assertZone(option(flags, 'tz') ?? systemZone());
  switch (command) {
    case 'run':
      return run(flags, zone);
    case 'types':
      return types(flags);
    case 'check':
      return check(flags, files, zone);
    case 'simulate':
      return simulate(flags, files, zone);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function run(flags: Flags, zone: string): Promise<number> {
  const gatewayUrl = option(flags, 'gateway');
  const clock = new RealClock(zone);
  let simulator: SimulatorServer | undefined;
  let token = gatewayToken(flags);
  let rulesFolder = option(flags, 'rules');
  let place = placeOption(flags) ?? null;
  if (!gatewayUrl) {
    // The demo: a gateway-shaped simulated home on 127.0.0.1 with its own throw-away token.
    token = randomBytes(24).toString('hex');
    simulator = new SimulatorServer({ token, home: seedHome(clock) });
    await simulator.start();
    // Quick enough that every example shows within seconds of `npm start`.
    simulator.startDemo(clock, { pressEvery: '6s', motionEvery: '9s', motionLasts: '4s' });
    rulesFolder ??= EXAMPLES;
    place ??= DEMO_PLACE;
    console.log(`Simulated home (the seed's bulbs, lights, buttons) at ${simulator.url}`);
    console.log(`Rules from ${rulesFolder}; press Ctrl-C to stop.\n`);
  }
  if (!token) throw new UsageError(NO_TOKEN);
  if (!rulesFolder) throw new UsageError('--rules DIR is needed with --gateway');
  const stateFile = path.resolve(flags.state ?? path.join('.rule-things', 'state.json'));
  const serve = flags['no-serve'] ? undefined : serveOptions(flags, path.dirname(stateFile));
  const runner = await runStandalone({
    gatewayUrl: simulator ? simulator.url : gatewayUrl!,
    token,
    rulesFolder: path.resolve(rulesFolder),
    timeZone: zone,
    place,
    acceptSelfSigned: Boolean(flags['accept-self-signed']),
    loopGuardRate: Number(flags['loop-guard-rate'] ?? DEFAULT_LOOP_GUARD.maxFiresPerWindow),
    stateFile,
    writeTypes: !simulator || option(flags, 'rules') !== undefined,
    serve: serve && { ...serve.options, token: serve.token.token },
    clock,
    onMessage: (message) => printEngineMessage(message, clock, Boolean(flags.verbose)),
  });
  if (serve) printServed(runner, serve.token);
  await stopSignal();
  console.log('\nStopping…');
  await runner.stop();
  await simulator?.stop();
  return 0;
}

const NO_TOKEN =
  'an access token is needed with --gateway: --token-file FILE or RULE_THINGS_TOKEN (a local authorization from Settings → Developer)';

/** Where and how to serve the RuleThings, and the token clients must send. */
function serveOptions(flags: Flags, stateDir: string) {
  const port = Number(option(flags, 'port') ?? 8888);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port "${option(flags, 'port')}" is not a port number`);
  }
  if (Boolean(flags['tls-cert']) !== Boolean(flags['tls-key'])) {
    throw new UsageError('--tls-cert and --tls-key go together');
  }
  const tls =
    flags['tls-cert'] && flags['tls-key']
      ? { cert: fs.readFileSync(flags['tls-cert']), key: fs.readFileSync(flags['tls-key']) }
      : undefined;
  let token: ServeToken;
  try {
    token = loadServeToken({
      file: flags['serve-token-file'],
      stateDir,
      env: process.env,
      envName: 'RULE_THINGS_SERVE_TOKEN',
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    options: { port, host: flags.host ?? '127.0.0.1', allowHosts: flags['allow-host'], tls },
    token,
  };
}

/** Where the RuleThings are, and, the first time only, the token that opens them. */
function printServed(runner: StandaloneRunner, serveToken: ServeToken): void {
  console.log(`RuleThings served as Web Things at ${runner.servedAt}`);
  if (!serveToken.generated) {
    console.log(`Clients need the serve token from ${serveToken.from}.\n`);
    return;
  }
  console.log(
    [
      `A serve token was made and saved in ${serveToken.from} (readable only by you):`,
      '',
      `  ${serveToken.token}`,
      '',
      `To add the rules to a gateway: Settings → Add-ons → Web Thing → Configure, add the URL`,
      `${runner.servedAt} with authentication method "jwt" and this token. Other clients send`,
      `"Authorization: Bearer <token>". It is not shown again.`,
      '',
    ].join('\n')
  );
}

/**
 * Resolves on Ctrl-C (SIGINT) or a service manager's SIGTERM; a second signal while stopping
 * exits at once.
 */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The things of the gateway (--gateway), else of the simulated home. */
async function readThings(flags: Flags): Promise<{ things: ThingState[]; source: string }> {
  const gatewayUrl = option(flags, 'gateway');
  if (!gatewayUrl) {
    const home = seedHome();
    return {
      things: home.thingIds().map((id) => ({
        description: home.describe(id),
        values: home.values(id),
        connected: true,
      })),
      source: 'the simulated home',
    };
  }
  const token = gatewayToken(flags);
  if (!token) throw new UsageError(NO_TOKEN);
  const client = new WebThingClient({
    gatewayUrl,
    token,
    acceptSelfSigned: Boolean(flags['accept-self-signed']),
    connectAttempts: 1,
  });
  try {
    await client.connect();
    return { things: structuredClone(client.things()), source: gatewayUrl };
  } finally {
    await client.close();
  }
}

async function types(flags: Flags): Promise<number> {
  const { things, source } = await readThings(flags);
  const descriptions = things.map((thing) => thing.description);
  if (!flags.out) {
    process.stdout.write(generateThingTypes(descriptions, { source }));
    return 0;
  }
  fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
  const changed = writeThingTypes(flags.out, descriptions, { source });
  console.log(`${flags.out}: ${descriptions.length} things${changed ? '' : ' (unchanged)'}`);
  return 0;
}

async function check(flags: Flags, files: string[], zone: string): Promise<number> {
  if (files.length === 0) throw new UsageError('check needs one or more rule files');
  const { things } = await readThings(flags);
  const diagnostics = await checkRules(
    files.map((file) => path.resolve(file)),
    {
      typesFile: typesFileFor(flags, files),
      things,
      zone,
      place: placeOption(flags),
    }
  );
  for (const diagnostic of diagnostics) console.log(formatDiagnostic(diagnostic, process.cwd()));
  if (!hasErrors(diagnostics)) console.log(`${files.length} file(s) checked: no errors`);
  return hasErrors(diagnostics) ? 1 : 0;
}

/** --types, else the things.d.ts that `types --out` (or the add-on) put beside the first file. */
function typesFileFor(flags: Flags, files: string[]): string | undefined {
  if (flags.types) return path.resolve(flags.types);
  const beside = path.join(path.dirname(path.resolve(files[0])), 'things.d.ts');
  return fs.existsSync(beside) ? beside : undefined;
}

async function simulate(flags: Flags, files: string[], zone: string): Promise<number> {
  if (files.length === 0) throw new UsageError('simulate needs one or more rule files');
  if (!flags.from) throw new UsageError('simulate needs --from, e.g. --from 2027-03-26T00:00');
  const days = Number(flags.days ?? 7);
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new UsageError(`--days "${flags.days}" is not a whole number from 1 to 366`);
  }
  const things = option(flags, 'gateway') ? (await readThings(flags)).things : undefined;
  const simulation = await simulateRule(
    files.map((file) => path.resolve(file)),
    {
      from: flags.from,
      days,
      tz: zone,
      lat: numberOption(flags, 'lat', -90, 90),
      lon: numberOption(flags, 'lon', -180, 180),
      things,
      rules: flags.rule,
      all: flags.all,
      settings: settingsOption(flags.set ?? []),
    }
  );
  console.log(flags.json ? JSON.stringify(simulationJson(simulation), null, 2) : simulation.text);
  return simulation.failures.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const usage =
        error instanceof UsageError ||
        (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      console.error(`rule-things: ${(error as Error).message}`);
      if (usage) console.error(`\n${USAGE}`);
      process.exit(2);
    }
  );
}

export { main };
