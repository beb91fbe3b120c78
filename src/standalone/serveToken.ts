/**
 * The token a client must send to use the runner's served RuleThings: from a file the user
 * names, from the environment, or generated once and kept beside the saved rule states, readable
 * only by its owner.
 */
import { randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';

/** The file, beside the state file, that holds a generated token. */
export const SERVE_TOKEN_FILE = 'serve-token';

export interface ServeToken {
  token: string;
  /** Where it came from, for the console: a file path or the environment variable's name. */
  from: string;
  /** True the first time, when it was just made and the user has never seen it. */
  generated: boolean;
}

// Shorter tokens are too easy to guess over a LAN; a generated one has 43 characters.
const MIN_LENGTH = 16;

/**
 * `file` if given, else the `envName` variable, else the saved token in `stateDir` (made on the
 * first run).
 *
 * @example loadServeToken({ stateDir: '.rule-things', env: process.env, envName: 'RULE_THINGS_SERVE_TOKEN' })
 * @throws Error naming the file or variable when its token is missing or too short.
 */
export function loadServeToken(options: {
  file?: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  envName: string;
}): ServeToken {
  if (options.file !== undefined) {
    return {
      token: checked(readToken(options.file), options.file),
      from: options.file,
      generated: false,
    };
  }
  const fromEnv = options.env[options.envName];
  if (fromEnv !== undefined) {
    return {
      token: checked(fromEnv.trim(), options.envName),
      from: options.envName,
      generated: false,
    };
  }
  const saved = path.join(options.stateDir, SERVE_TOKEN_FILE);
  if (fs.existsSync(saved)) {
    return { token: checked(readToken(saved), saved), from: saved, generated: false };
  }
  const token = randomBytes(32).toString('base64url');
  fs.mkdirSync(options.stateDir, { recursive: true });
  // 'wx': never overwrite a token another runner wrote a moment ago; mode: owner only.
  fs.writeFileSync(saved, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, from: saved, generated: true };
}

function readToken(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`could not read the serve token from ${file}: ${(error as Error).message}`);
  }
}

function checked(token: string, from: string): string {
  if (token.length < MIN_LENGTH || /\s/.test(token)) {
    throw new Error(
      `the serve token in ${from} must be one word of at least ${MIN_LENGTH} characters`
    );
  }
  return token;
}
