/** What a dry run saw, as timeline entries: firings, property changes, actions, log lines. */
import { DateTime } from 'luxon';
import type { JsonValue } from '../protocol/gateway';
import type { FiringRecord, RuleInfo } from '../engine/messages';
import { currentRun } from '../engine/Run';
import type { HomeEvents } from '../simulator';
import type { Sandbox } from './sandbox';
import type { SimulatedRule } from './simulate';
import { iso, showJson, TimelineEntry } from './timeline';

/** True while one of the rule's thing settings has no thing chosen. */
export function waitsForChoice(rule: RuleInfo): boolean {
  return rule.settings.some((s) => s.thing && !s.thing.chosen);
}

/** Listens to the sandbox and turns what happens into timeline entries. */
export class SimulationRecorder {
  readonly entries: TimelineEntry[] = [];
  // thing id -> property -> value, to show "from → to" of each change
  private readonly values = new Map<string, Record<string, JsonValue>>();
  // rule id -> class name
  private readonly names: Map<string, string>;
  private readonly cancels: (() => void)[] = [];
  private logsSeen = 0;
  // rule id -> the first status other than "ok" it showed (an error mid-run counts, even if it recovers)
  private readonly failures = new Map<string, string>();

  constructor(
    private readonly sandbox: Sandbox,
    private readonly zone: string,
    rules: SimulatedRule[],
    readonly limit: number
  ) {
    this.names = new Map(rules.map((rule) => [rule.id, rule.name]));
    this.several = rules.filter((rule) => rule.enabled).length > 1;
  }

  /** More than one rule runs, so each change says whose it is. */
  private readonly several: boolean;

  get full(): boolean {
    return this.entries.length >= this.limit;
  }

  listen(): void {
    const { home, system } = this.sandbox;
    for (const id of home.thingIds()) this.values.set(id, { ...home.values(id) });
    this.cancels.push(system.on('fired', (record) => this.fired(record)));
    this.cancels.push(
      system.on('ruleChanged', (rule) => {
        // "choose a Light" before --set gives the thing is a wait, not a failure.
        if (rule.status !== 'ok' && !waitsForChoice(rule) && !this.failures.has(rule.id))
          this.failures.set(rule.id, rule.status);
      })
    );
    const changed = ({
      thingId,
      name,
      value,
    }: {
      thingId: string;
      name: string;
      value: JsonValue;
    }): void => this.changed(thingId, name, value);
    home.on('propertyChanged', changed);
    this.cancels.push(() => home.off('propertyChanged', changed));
    const action = ({ thingId, action }: HomeEvents['actionStatus']): void => {
      if (action.status === 'pending') this.action(thingId, action.name, action.input);
    };
    home.on('actionStatus', action);
    this.cancels.push(() => home.off('actionStatus', action));
  }

  failure(ruleId: string): string | undefined {
    return this.failures.get(ruleId);
  }

  unlisten(): void {
    this.takeLogs();
    for (const cancel of this.cancels.splice(0)) cancel();
  }

  private now(): string {
    return iso(this.sandbox.clock.now().setZone(this.zone));
  }

  private push(entry: TimelineEntry): void {
    // Log lines are taken in order as they come, so warnings sit where they happened.
    this.takeLogs();
    if (!this.full) this.entries.push(entry);
  }

  private takeLogs(): void {
    const logs = this.sandbox.logs;
    for (; this.logsSeen < logs.length; this.logsSeen++) {
      const log = logs[this.logsSeen];
      if (this.full) continue;
      this.entries.push({
        at: iso(DateTime.fromMillis(log.at, { zone: this.zone })),
        kind: log.level === 'error' ? 'error' : 'warning',
        text: `${log.level === 'error' ? 'error' : 'warning'}: ${log.message}`,
      });
    }
  }

  private fired(record: FiringRecord): void {
    const rule = this.names.get(record.ruleId) ?? record.ruleId;
    const at = iso(DateTime.fromISO(record.at, { zone: this.zone }));
    this.takeLogs();
    if (this.full) return;
    // The engine reports a firing once the action's synchronous part is done, so its changes
    // are already recorded: put the firing before them.
    let index = this.entries.length;
    while (index > 0) {
      const previous = this.entries[index - 1];
      if (
        (previous.kind !== 'set' && previous.kind !== 'action') ||
        previous.at !== at ||
        previous.rule !== rule
      )
        break;
      index--;
    }
    this.entries.splice(index, 0, {
      at,
      kind: 'fired',
      rule,
      trigger: record.trigger,
      text: `${rule} fired: ${record.trigger}`,
    });
  }

  private changed(thingId: string, name: string, value: JsonValue): void {
    const values = this.values.get(thingId) ?? {};
    const from = values[name];
    values[name] = value;
    this.values.set(thingId, values);
    const thing = this.title(thingId);
    const rule = this.ruleOfCurrentRun();
    this.push({
      at: this.now(),
      kind: 'set',
      rule,
      thing,
      thingId,
      property: name,
      from,
      to: value,
      text: `${thing} ${name}: ${showJson(from)} → ${showJson(value)}${this.by(rule)}`,
    });
  }

  private action(thingId: string, name: string, input: JsonValue | undefined): void {
    const thing = this.title(thingId);
    const rule = this.ruleOfCurrentRun();
    this.push({
      at: this.now(),
      kind: 'action',
      rule,
      thing,
      thingId,
      property: name,
      to: input,
      text: `${thing} action ${name}${input === undefined ? '' : ` ${showJson(input)}`}${this.by(rule)}`,
    });
  }

  private by(rule: string | undefined): string {
    return this.several && rule ? ` (${rule})` : '';
  }

  /** The rule whose run made this change: the engine keeps the run across awaits (a fade's steps too). */
  private ruleOfCurrentRun(): string | undefined {
    const ruleId = currentRun.getStore()?.cause.ruleId;
    return ruleId === undefined ? undefined : (this.names.get(ruleId) ?? ruleId);
  }

  private title(thingId: string): string {
    return this.sandbox.home.describe(thingId).title;
  }
}
