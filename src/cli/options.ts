/** The command line's options: parsed, each with its environment variable, checked with a clear message. */
import fs from 'fs';
import { parseArgs } from 'util';

/** A mistake on the command line: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

export const NO_TOKEN =
  'an access token is needed with --gateway: --token-file FILE or RULE_THINGS_TOKEN (a local authorization from Settings → Developer)';

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

export type Flags = ReturnType<typeof parse>['values'];

export function parse(args: string[]) {
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
export function option(
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
export function gatewayToken(flags: Flags): string | undefined {
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

export function numberOption(flags: Flags, name: 'lat' | 'lon', min: number, max: number) {
  const text = option(flags, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} "${text}" is not a number from ${min} to ${max}`);
  }
  return value;
}

/** --lat and --lon as a place, or undefined without --lat. */
export function placeOption(flags: Flags): { latitude: number; longitude: number } | undefined {
  const latitude = numberOption(flags, 'lat', -90, 90);
  if (latitude === undefined) return undefined;
  return { latitude, longitude: numberOption(flags, 'lon', -180, 180) ?? 0 };
}

/** "--set light=Porch Light" pairs as { light: 'Porch Light' }. */
export function settingsOption(pairs: string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1)
      throw new UsageError(`--set "${pair}" is not NAME=VALUE (e.g. --set light="Porch Light")`);
    settings[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return settings;
}
