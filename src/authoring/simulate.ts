/** `rule-things simulate`: a dry run of rule files over days of virtual time against a simulated home, as a timeline of firings, property changes and the day's sun and clock changes. */
import * as path from 'path';
import { DateTime } from 'luxon';
import { assertZone, describeDuration, systemZone } from '../clock';
import type { JsonValue, ThingState } from '../protocol/gateway';
import { loadRuleFile } from '../engine/loadRules';
import { EventTrigger, PropertyTrigger, ThingChangeTrigger } from '../engine/ThingTriggers';
import type { SolarEventName } from '../triggers/solarEvents';
import type { Place } from '../triggers/Trigger';
import { createSandbox, DEFAULT_PLACE, Sandbox } from './sandbox';
import { SimulationRecorder, waitsForChoice } from './SimulationRecorder';
import {
  DEFAULT_SUN_EVENTS,
  dstEntries,
  formatTimeline,
  iso,
  sortEntries,
  sunEntries,
  TimelineEntry,
  TimelineWindow,
} from './timeline';

export interface SimulateOptions {
  /** Start, local time in `tz`: "2027-03-26T00:00" (or "2027-03-26"). */
  from: string;
  /** Number of local days to run (7 = a week; a DST change makes one of them 23 or 25 hours). */
  days: number;
  /** IANA time zone; default this machine's. */
  tz?: string;
  /** Place of the sun for solar triggers and sun lines; default Berlin (52.52, 13.405). */
  lat?: number;
  lon?: number;
  /** A snapshot of a real gateway's things and values to run against instead of the seed's home; nothing is written back. */
  things?: ThingState[];
  /** Class names of the rules to run; default every rule that is on by default (`static enabledByDefault`). */
  rules?: string[];
  /** Run every rule of the files, also those off by default. */
  all?: boolean;
  /**
   * Setting values for the run, by setting name, given to every rule that has the setting
   * (`--set light="Porch Light"`): a thing setting takes a thing's title or id.
   */
  settings?: Record<string, string>;
  /** Solar events shown for each day; default sunrise and sunset. */
  sunEvents?: readonly SolarEventName[];
  /** Stops the run once the timeline holds this many entries (a HeartBeat every 2 s would fill a week with 300,000); default 5000. */
  maxEntries?: number;
}

/** One rule of the dry run. */
export interface SimulatedRule {
  id: string;
  name: string;
  file: string;
  /** Whether it ran (rules off by default only run when named or with `all`). */
  enabled: boolean;
}

export interface Simulation {
  /** ISO local start and end of the window, its zone and place. */
  from: string;
  until: string;
  zone: string;
  place: Place;
  rules: SimulatedRule[];
  entries: TimelineEntry[];
  /** True when `maxEntries` cut the run short. */
  truncated: boolean;
  /** What the reader should know about the run: the place used by default, rules that cannot fire here. */
  notes: string[];
  /** "<rule>: <status>" of each rule that failed (did not start, threw); the CLI then exits 1. */
  failures: string[];
  /** The timeline as a person reads it. */
  text: string;
}

// Virtual time advances in steps of this size so a runaway rule is cut short between steps.
const STEP_MS = 3_600_000;

/**
 * Runs the rules of `files` on a virtual clock from `from` for `days` local days against the
 * seed's simulated home (or `things`), and returns what happened: each trigger firing, each
 * property a rule changed (fades condensed in the text), each day's sunrise and sunset at the
 * place, and the clock changes, in local time with the UTC offset of each day.
 *
 * @example
 * const run = await simulateRule('rules/morning-wake.ts', { from: '2027-03-26T00:00', days: 7, tz: 'Europe/Berlin' });
 * process.stdout.write(json ? JSON.stringify(simulationJson(run), null, 2) : run.text);
 * @throws Error when a file does not load, names an unknown rule, or the zone or start is invalid.
 */
export async function simulateRule(
  files: string | string[],
  options: SimulateOptions
): Promise<Simulation> {
  const list = typeof files === 'string' ? [files] : files;
  const zone = assertZone(options.tz ?? systemZone());
  const from = startOf(options.from, zone);
  if (!Number.isFinite(options.days) || options.days <= 0) {
    throw new Error(`Invalid number of days: ${options.days} (use a positive number such as 7)`);
  }
  const place = placeOf(options);
  const until = from.plus({ days: options.days });
  const window: TimelineWindow = { from, until, zone, place };
  const sandbox = createSandbox({ from: from.toMillis(), zone, place, things: options.things });
  const rules = addRules(sandbox, list, options);
  const recorder = new SimulationRecorder(sandbox, zone, rules, options.maxEntries ?? 5000);

  recorder.listen();
  await sandbox.system.start();
  applySettings(sandbox, rules, options.settings ?? {});
  const notes = notesOn(sandbox, rules, options);
  const end = until.toMillis();
  while (sandbox.clock.nowMs() < end && !recorder.full) {
    await sandbox.clock.advanceTo(Math.min(end, sandbox.clock.nowMs() + STEP_MS));
  }
  recorder.unlisten();
  const failures = rules
    .filter((rule) => rule.enabled)
    .map((rule) => {
      const info = sandbox.system.rule(rule.id);
      // A rule still waiting for its thing to be chosen did nothing; waitingNotes says so.
      const status = info && waitsForChoice(info) ? undefined : info?.status;
      return { rule, status: recorder.failure(rule.id) ?? status };
    })
    .filter(({ status }) => status !== undefined && status !== 'ok')
    .map(({ rule, status }) => `${rule.name}: ${status}`);
  await sandbox.system.stop();

  // A run cut short shows the calendar only as far as it got.
  const shown: TimelineWindow = recorder.full ? { ...window, until: sandbox.clock.now() } : window;
  const entries = sortEntries([
    ...recorder.entries,
    ...sunEntries(shown, options.sunEvents ?? DEFAULT_SUN_EVENTS),
    ...dstEntries(shown),
  ]);
  const enabled = rules.filter((rule) => rule.enabled);
  const names =
    enabled.length > 0
      ? enabled.map((rule) => rule.name).join(', ')
      : 'no rule (all are off by default)';
  let text = formatTimeline(
    entries,
    window,
    [`Dry run of ${list.map((f) => path.basename(f)).join(', ')}: ${names}`, ...notes].join('\n'),
    { showRules: enabled.length > 1 }
  );
  text += waitingNotes(sandbox, enabled);
  if (recorder.full) {
    text += `Stopped at ${sandbox.clock.now().toFormat('ccc yyyy-MM-dd HH:mm')}: more than ${recorder.limit} entries.\n`;
  }
  if (failures.length > 0) text += `\nFailed:\n${failures.map((f) => `  ${f}`).join('\n')}\n`;
  return {
    from: iso(from),
    until: iso(until),
    zone,
    place,
    rules,
    entries,
    truncated: recorder.full,
    notes,
    failures,
    text,
  };
}

/**
 * The start as the local time given. A time the clocks skip (02:30 on the spring-forward night)
 * is refused with the times around the gap rather than silently moved an hour on.
 */
function startOf(text: string, zone: string): DateTime {
  const from = DateTime.fromISO(text, { zone });
  if (!from.isValid)
    throw new Error(`Invalid start: "${text}" (use local ISO time such as "2027-03-26T00:00")`);
  const hasOffset = /(?:[zZ]|[+-]\d\d(?::?\d\d)?)$/.test(text.trim());
  const wall = DateTime.fromISO(text, { zone: 'UTC' });
  const format = "yyyy-MM-dd'T'HH:mm:ss";
  if (!hasOffset && wall.toFormat(format) !== from.toFormat(format)) {
    const shiftMs = (from.offset - from.minus({ days: 1 }).offset) * 60_000;
    throw new Error(
      `Invalid start: "${text}" does not exist in ${zone}: the clocks go forward ${describeDuration(shiftMs)} that night, skipping it (use ${from.toFormat("yyyy-MM-dd'T'HH:mm")} for the same instant, or an earlier time)`
    );
  }
  return from;
}

/** What a reader of the dry run must know so as not to mistake silence for a broken rule. */
function notesOn(sandbox: Sandbox, rules: SimulatedRule[], options: SimulateOptions): string[] {
  const notes: string[] = [];
  if (options.lat === undefined && options.lon === undefined) {
    notes.push(
      `The sun is Berlin's (${DEFAULT_PLACE.latitude}, ${DEFAULT_PLACE.longitude}): give --lat and --lon for yours.`
    );
  }
  for (const rule of rules.filter((r) => r.enabled)) {
    const watched = sandbox.system
      .triggersOf(rule.id)
      .filter(
        (t) =>
          t instanceof ThingChangeTrigger ||
          t instanceof PropertyTrigger ||
          t instanceof EventTrigger
      )
      .map((t) => t.describe());
    if (watched.length === 0) continue;
    notes.push(
      `${rule.name} also waits for ${watched.join(', ')}: nobody changes things in a dry run, so those triggers never fire here.`
    );
  }
  return notes;
}

/** The simulation as `--json` prints it (everything but the text). */
export function simulationJson(simulation: Simulation): Omit<Simulation, 'text'> {
  const copy: Partial<Simulation> = { ...simulation };
  delete copy.text;
  return copy as Omit<Simulation, 'text'>;
}

function placeOf(options: SimulateOptions): Place {
  if (options.lat === undefined && options.lon === undefined) return DEFAULT_PLACE;
  const latitude = Number(options.lat);
  const longitude = Number(options.lon);
  if (!(Math.abs(latitude) <= 90) || !(Math.abs(longitude) <= 180)) {
    throw new Error(
      `Invalid place: latitude ${options.lat}, longitude ${options.lon} (give both, latitude −90..90, longitude −180..180)`
    );
  }
  return { latitude, longitude };
}

/** Loads every file and adds its rules, switched on as the options say. */
function addRules(sandbox: Sandbox, files: string[], options: SimulateOptions): SimulatedRule[] {
  const rules: SimulatedRule[] = [];
  const wanted = new Set(options.rules ?? []);
  for (const file of files) {
    const absolute = path.resolve(file);
    const loaded = loadRuleFile(path.dirname(absolute), path.basename(absolute));
    if (loaded.failure) throw new Error(`Cannot simulate ${file}: ${loaded.failure.status}`);
    for (const { id, name, ruleClass } of loaded.rules) {
      const byDefault = (ruleClass as { enabledByDefault?: boolean }).enabledByDefault ?? true;
      const enabled = options.all === true || (options.rules ? wanted.has(name) : byDefault);
      const ruleId = sandbox.system.addRule(ruleClass, { id, file: loaded.file, enabled });
      rules.push({ id: ruleId, name, file, enabled });
      wanted.delete(name);
    }
  }
  if (wanted.size > 0) {
    const known = rules.map((rule) => rule.name).join(', ') || 'none';
    throw new Error(`Unknown rule: ${[...wanted].join(', ')} (the files have ${known})`);
  }
  return rules;
}

/** Gives each rule the settings it has; throws naming the rule, setting and value it refuses. */
function applySettings(
  sandbox: Sandbox,
  rules: SimulatedRule[],
  settings: Record<string, string>
): void {
  for (const [name, value] of Object.entries(settings)) {
    const owners = rules.filter((rule) =>
      sandbox.system.rule(rule.id)?.settings.some((s) => s.name === name)
    );
    if (owners.length === 0) {
      const known = rules.flatMap((rule) => sandbox.system.rule(rule.id)?.settings ?? []);
      const names = [...new Set(known.map((s) => s.name))].join(', ') || 'none';
      throw new Error(`No rule has a setting "${name}" (settings: ${names})`);
    }
    for (const rule of owners) {
      const setting = sandbox.system.rule(rule.id)!.settings.find((s) => s.name === name)!;
      sandbox.system.setSetting(rule.id, name, typed(value, setting.type));
    }
  }
}

/** "--set level=40" is the number 40 for a number setting, "true" a boolean for a boolean one. */
function typed(text: string, type: string): JsonValue {
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if ((type === 'number' || type === 'integer') && text.trim() !== '' && !isNaN(Number(text)))
    return Number(text);
  return text;
}

/** A line for each rule that did nothing because a thing is not chosen, saying how to choose it. */
function waitingNotes(sandbox: Sandbox, enabled: SimulatedRule[]): string {
  let notes = '';
  for (const rule of enabled) {
    const info = sandbox.system.rule(rule.id);
    const unchosen = info?.settings.find((s) => s.thing && !s.thing.chosen);
    if (!info || !unchosen) continue;
    const example = unchosen.thing!.choices[0]?.title ?? '…';
    notes += `${rule.name} did nothing: ${info.status} (add --set ${unchosen.name}="${example}")\n`;
  }
  return notes;
}
