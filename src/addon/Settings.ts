/**
 * The add-on's settings (manifest.json `options`), read from the gateway's database and checked
 * field by field: a bad field gets a message naming it and its allowed form, and a safe fallback,
 * so one mistake does not stop the parts of the add-on that can run. The token is never echoed.
 */
import path from 'path';
import { Database } from 'gateway-addon';
import { assertZone, systemZone } from '../clock';
import { DEFAULT_LOOP_GUARD } from '../engine/LoopGuard';
import { RULE_CODE_LIMIT_MS } from '../host/engineWorkerEntry';
import type { Place } from '../triggers/Trigger';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080';
export const DEFAULT_LOOP_GUARD_RATE = DEFAULT_LOOP_GUARD.maxFiresPerWindow;
export const DEFAULT_RULE_CODE_LIMIT_SECONDS = RULE_CODE_LIMIT_MS / 1000;
/**
 * The old default of `loopGuardRate`, saved into every config made before it counted only
 * firings that rules' writes cause: it paused rules that followed a busy sensor, so it is read as
 * the new default. A value someone chose is kept.
 */
export const LEGACY_LOOP_GUARD_RATE = 60;

export interface AddonSettings {
  gatewayUrl: string;
  /** null when missing or malformed: the engine then runs without a gateway connection. */
  accessToken: string | null;
  acceptSelfSigned: boolean;
  /** An IANA zone luxon knows; the system's when the setting is empty or unknown. */
  timeZone: string;
  /** null until latitude and longitude are both set and valid: no solar events then. */
  place: Place | null;
  /** Absolute path of the folder the rule files are loaded from. */
  rulesFolder: string;
  /** Most firings per minute that rules' writes may cause a rule before the loop guard pauses it. */
  loopGuardRate: number;
  /** How long one rule's code may run without a break before it is stopped and switched off. */
  ruleCodeLimitSeconds: number;
}

/** What a bad setting stops: the engine's gateway connection, the Sun, or nothing (a fallback). */
export type Affects = 'gateway' | 'sun' | 'none';

export interface SettingsProblem {
  field: string;
  message: string;
  affects: Affects;
}

export const TOKEN_HELP =
  'create one in the gateway under Settings → Developer → Create local authorization, then paste it into Rule Things’ settings (Settings → Add-ons → Rule Things → Configure)';

/** Reads the saved settings of add-on `id`; a database that cannot be read counts as empty. */
export async function readRawSettings(
  id: string
): Promise<{ raw: Record<string, unknown>; problem: string | null }> {
  const db = new Database(id);
  try {
    await db.open();
    return { raw: await db.loadConfig(), problem: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      raw: {},
      problem: `Could not read Rule Things' settings from the gateway database (${reason}); using the defaults`,
    };
  } finally {
    db.close();
  }
}

/**
 * Checks every field of the raw settings.
 *
 * @param dataDir the add-on's data directory, where a relative or empty `rulesFolder` points.
 * @example parseSettings({ latitude: 200 }, '/home/pi/.webthings/data/rule-things').problems[0].message
 * // 'latitude 200 is not a number from -90 to 90 (degrees north; e.g. 52.52); solar events are off'
 */
export function parseSettings(
  raw: Record<string, unknown>,
  dataDir: string
): { settings: AddonSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const problem = (field: string, message: string, affects: Affects) =>
    problems.push({ field, message, affects });

  let gatewayUrl = DEFAULT_GATEWAY_URL;
  const url = text(raw.gatewayUrl);
  if (url) {
    if (isHttpUrl(url)) gatewayUrl = url.replace(/\/+$/, '');
    else
      problem(
        'gatewayUrl',
        `gatewayUrl "${url.slice(0, 80)}" is not an http:// or https:// URL (e.g. ${DEFAULT_GATEWAY_URL}); using ${DEFAULT_GATEWAY_URL}`,
        'none'
      );
  }

  let accessToken: string | null = null;
  const token = text(raw.accessToken);
  if (!token) {
    problem('accessToken', `no access token: ${TOKEN_HELP}`, 'gateway');
  } else if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) {
    // Say what is wrong with it without repeating any of it.
    problem(
      'accessToken',
      `the access token does not look like one (a local authorization is three dot-separated parts, ${token.length} characters given): ${TOKEN_HELP}`,
      'gateway'
    );
  } else {
    accessToken = token;
  }

  const acceptSelfSigned = raw.acceptSelfSigned === true || raw.acceptSelfSigned === 'true';

  let timeZone = systemZone();
  const zone = text(raw.timeZone);
  if (zone) {
    try {
      timeZone = assertZone(zone);
    } catch {
      problem(
        'timeZone',
        `timeZone "${zone.slice(0, 60)}" is not an IANA time zone (e.g. "Europe/Berlin", "America/New_York"); using this machine's zone, ${timeZone}`,
        'none'
      );
    }
  }

  const latitude = coordinate(raw.latitude, 'latitude', 90, 'degrees north; e.g. 52.52', problem);
  const longitude = coordinate(
    raw.longitude,
    'longitude',
    180,
    'degrees east; e.g. 13.40',
    problem
  );
  let place: Place | null = null;
  if (latitude !== undefined && longitude !== undefined) {
    place = { latitude, longitude };
  } else if (!problems.some((p) => p.affects === 'sun')) {
    problem(
      latitude === undefined ? 'latitude' : 'longitude',
      'latitude and longitude are not both set: the Sun thing and solar events (sunrise, dusk…) are off until they are',
      'sun'
    );
  }

  const folder = text(raw.rulesFolder);
  const rulesFolder = folder ? path.resolve(dataDir, folder) : path.join(dataDir, 'rules');

  let loopGuardRate = DEFAULT_LOOP_GUARD_RATE;
  const rate = number(raw.loopGuardRate);
  if (rate !== undefined) {
    if (rate === LEGACY_LOOP_GUARD_RATE) loopGuardRate = DEFAULT_LOOP_GUARD_RATE;
    else if (rate !== null && rate >= 1 && rate <= 100_000) loopGuardRate = rate;
    else
      problem(
        'loopGuardRate',
        `loopGuardRate ${JSON.stringify(raw.loopGuardRate)} is not a number of firings per minute from 1 to 100000; using ${DEFAULT_LOOP_GUARD_RATE}`,
        'none'
      );
  }

  let ruleCodeLimitSeconds = DEFAULT_RULE_CODE_LIMIT_SECONDS;
  const limit = number(raw.ruleCodeLimitSeconds);
  if (limit !== undefined) {
    if (limit !== null && limit >= 0.5 && limit <= 60) ruleCodeLimitSeconds = limit;
    else
      problem(
        'ruleCodeLimitSeconds',
        `ruleCodeLimitSeconds ${JSON.stringify(raw.ruleCodeLimitSeconds)} is not a number of seconds from 0.5 to 60; using ${DEFAULT_RULE_CODE_LIMIT_SECONDS}`,
        'none'
      );
  }

  return {
    settings: {
      gatewayUrl,
      accessToken,
      acceptSelfSigned,
      timeZone,
      place,
      rulesFolder,
      loopGuardRate,
      ruleCodeLimitSeconds,
    },
    problems,
  };
}

/** A trimmed non-empty string, or undefined. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** undefined when unset, null when set but not a number; numeric strings count (old forms send them). */
function number(value: unknown): number | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function coordinate(
  value: unknown,
  field: string,
  limit: number,
  hint: string,
  problem: (field: string, message: string, affects: Affects) => void
): number | undefined {
  const n = number(value);
  if (n === undefined) return undefined;
  if (n === null || n < -limit || n > limit) {
    problem(
      field,
      `${field} ${JSON.stringify(value)} is not a number from -${limit} to ${limit} (${hint}); solar events are off`,
      'sun'
    );
    return undefined;
  }
  return n;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
