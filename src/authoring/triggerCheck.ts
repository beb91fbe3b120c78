/** Loads rule files far enough to validate their triggers (times, solar event names, durations) in a sandbox, without running any action. */
import * as fs from 'fs';
import * as path from 'path';
import { underlyingTrigger } from '../engine/describeTrigger';
import type { ThingState } from '../protocol/gateway';
import { Rule, settingsOf } from '../engine/Rule';
import { ThingSetting } from '../engine/ThingSetting';
import { ThingEventHub } from '../engine/ThingEventHub';
import { TimeTrigger } from '../triggers/TimeTrigger';
import type { Place, TriggerContext } from '../triggers/Trigger';
import { Diagnostic } from './diagnostics';
import { loadRuleFile } from '../engine/loadRules';
import { createSandbox, Sandbox } from './sandbox';
import { positionInStack, SourcePosition, triggersPosition } from './sourceLocation';

export interface TriggerCheckOptions {
  /** The things rules may use; default the seed's simulated home. */
  things?: ThingState[];
  /** Time zone and place the triggers are validated for (a solar event may not happen at a place). */
  zone?: string;
  place?: Place;
}

/**
 * Problems of each rule's triggers, found by loading the file, constructing each exported rule
 * on a virtual clock against a simulated home, calling `triggers()` and attaching each trigger
 * to a throwaway context (then detaching it at once). `initialState()` and `action()` never run.
 */
export async function checkTriggers(
  files: string[],
  options: TriggerCheckOptions = {}
): Promise<Diagnostic[]> {
  const sandbox = createSandbox({
    zone: options.zone ?? 'UTC',
    place: options.place,
    things: options.things,
  });
  await sandbox.system.start();
  const diagnostics: Diagnostic[] = [];
  try {
    for (const file of files) diagnostics.push(...checkFile(sandbox, file));
  } finally {
    await sandbox.system.stop();
  }
  return diagnostics;
}

let probes = 0;

function checkFile(sandbox: Sandbox, file: string): Diagnostic[] {
  const absolute = path.resolve(file);
  const loaded = loadRuleFile(path.dirname(absolute), path.basename(absolute));
  if (loaded.failure) {
    // The loader words it "failed to load <file>:<line>: <message>".
    const match = /^failed to load .*?:(\d+|\?): ([\s\S]*)$/.exec(loaded.failure.status);
    const line = match && match[1] !== '?' ? Number(match[1]) : 1;
    const message = match ? match[2] : loaded.failure.status;
    return [diagnostic(file, { line, column: 1 }, `Cannot load rule file: ${message}`, 'load')];
  }
  if (loaded.rules.length === 0) {
    return [
      {
        file,
        line: 1,
        column: 1,
        message:
          'exports no rule: export a class that extends Rule or WhileRule (export default class … extends Rule)',
        severity: 'warning',
        code: 'load',
      },
    ];
  }
  const found: Diagnostic[] = [];
  for (const { ruleClass } of loaded.rules) found.push(...checkRule(sandbox, file, ruleClass));
  return found;
}

function checkRule(sandbox: Sandbox, file: string, ruleClass: new () => Rule): Diagnostic[] {
  const name = ruleClass.name;
  // The engine catches a failing constructor into the rule's status; this keeps the error itself,
  // whose stack says which line of the file threw.
  let constructError: unknown;
  const probe = new Proxy(ruleClass, {
    construct(target, args, newTarget) {
      try {
        return Reflect.construct(target, args, newTarget) as object;
      } catch (error) {
        constructError = error;
        throw error;
      }
    },
  });
  const id = `check-${++probes}`;
  const { system } = sandbox;
  // Disabled, so the engine constructs the rule (field initializers run) but does not start it.
  system.addRule(probe, { id, file, enabled: false });
  try {
    const instance = system.instance(id);
    if (!instance) {
      const status = system.rule(id)?.status ?? 'could not be constructed';
      const message = constructError
        ? messageOf(constructError)
        : status.replace(/^failed to start: /, '');
      return [
        diagnostic(
          file,
          locate(constructError, file, name, message),
          `${name}: ${message}`,
          'trigger'
        ),
      ];
    }
    return checkSources(sandbox, file, name, instance);
  } finally {
    void system.removeRule(id);
  }
}

function checkSources(sandbox: Sandbox, file: string, name: string, rule: Rule): Diagnostic[] {
  const found: Diagnostic[] = [];
  const unpickable = standInThings(rule);
  if (unpickable.length > 0) {
    return unpickable.map((message) => ({
      ...diagnostic(file, triggersPosition(file, name), `${name}: ${message}`, 'trigger'),
      severity: 'warning' as const,
    }));
  }
  let sources: unknown[];
  try {
    sources = [...((rule as { triggers?: () => Iterable<unknown> }).triggers?.() ?? [])];
  } catch (error) {
    const message = `error in triggers(): ${messageOf(error)}`;
    return [
      diagnostic(
        file,
        locate(error, file, name, messageOf(error)),
        `${name}: ${message}`,
        'trigger'
      ),
    ];
  }
  const warnings: string[] = [];
  const context: TriggerContext & { things: ThingEventHub } = {
    clock: sandbox.clock,
    place: sandbox.place,
    things: new ThingEventHub(),
    warn: (message) => warnings.push(message),
  };
  for (const source of sources) {
    try {
      const trigger = underlyingTrigger(source as Parameters<typeof underlyingTrigger>[0]);
      // Attaching runs what a trigger checks only when armed (a setting's value, a polar night).
      const cancel = trigger.subscribe(context, () => undefined);
      cancel();
      if (
        trigger instanceof TimeTrigger &&
        trigger.next(sandbox.clock.now(), sandbox.place) === null
      ) {
        warnings.push(`${trigger.describe()} will not happen within a year`);
      }
    } catch (error) {
      found.push(
        diagnostic(
          file,
          locate(error, file, name, messageOf(error)),
          `${name}: ${messageOf(error)}`,
          'trigger'
        )
      );
    }
  }
  for (const warning of warnings) {
    found.push({
      ...diagnostic(file, triggersPosition(file, name), `${name}: ${warning}`, 'trigger'),
      severity: 'warning',
    });
  }
  return found;
}

/**
 * Chooses the first thing each unchosen thing setting offers, so triggers() can run as it will
 * once a person has chosen; returns a warning for each setting that offers no thing at all.
 */
function standInThings(rule: Rule): string[] {
  const problems: string[] = [];
  for (const setting of settingsOf(rule).values()) {
    if (!(setting instanceof ThingSetting) || setting.value) continue;
    const first = setting.choices()[0];
    if (first) setting.assign(first.id);
    else
      problems.push(
        `thing setting "${setting.name}": ${setting.missing()}, but no thing fits (${setting.allowed})`
      );
  }
  return problems;
}

/**
 * Where a problem is: the line of the file the error was thrown from; else the first place the
 * value quoted in the message ("25:99") is written in the file; else the rule's triggers().
 */
function locate(
  error: unknown,
  file: string,
  className: string | undefined,
  message?: string
): SourcePosition {
  const fromStack = positionInStack(error, file);
  if (fromStack) return fromStack;
  const quoted = message && /"([^"]{1,60})"/.exec(message)?.[1];
  if (quoted) {
    const at = findLiteral(file, quoted);
    if (at) return at;
  }
  return triggersPosition(file, className);
}

/** The position of `value` written as a string literal in `file`. */
function findLiteral(file: string, value: string): SourcePosition | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const quote of ["'", '"', '`']) {
    const index = text.indexOf(`${quote}${value}${quote}`);
    if (index < 0) continue;
    const before = text.slice(0, index).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1 };
  }
  return undefined;
}

function diagnostic(file: string, at: SourcePosition, message: string, code: string): Diagnostic {
  return { file, line: at.line, column: at.column, message, severity: 'error', code };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
