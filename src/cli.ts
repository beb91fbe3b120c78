#!/usr/bin/env node
/**
 * The `rule-things` command: runs rules outside the gateway (against a gateway, or against the
 * built-in simulated home), and the authoring tools `types`, `check` and `simulate`.
 */
import { check, simulate, types } from './cli/authoringCommands';
import { option, parse, UsageError } from './cli/options';
import { run } from './cli/runCommand';
import { assertZone, systemZone } from './clock';

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
