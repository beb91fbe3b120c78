/** `rule-things run`: the rules against a gateway, or the demo (the simulated home and examples/). */
import fs from 'fs';
import path from 'path';
import { randomBytes } from 'crypto';
import { RealClock } from '../clock';
import { DEFAULT_LOOP_GUARD } from '../engine/LoopGuard';
import { printEngineMessage } from '../standalone/consoleLog';
import { runStandalone, StandaloneRunner } from '../standalone/runStandalone';
import { loadServeToken, ServeToken } from '../standalone/serveToken';
import { seedHome, SimulatorServer } from '../simulator';
import { Flags, gatewayToken, NO_TOKEN, option, placeOption, UsageError } from './options';

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(PACKAGE_ROOT, 'examples');
// The demo's sun: Berlin, so dusk and dawn rules have a real place to follow.
const DEMO_PLACE = { latitude: 52.52, longitude: 13.405 };

export async function run(flags: Flags, zone: string): Promise<number> {
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
