/**
 * Serves the standalone runner's rules as Web Things with the `webthing` package, so a gateway can
 * add them through its Web Thing add-on (by URL) and switch them, set their alarm time and use them
 * in GUI rules, as it does with the add-on's RuleThings.
 */
import http from 'http';
import { AddressInfo } from 'net';
import { Action, Event, MultipleThings, Property, Thing, Value, WebThingServer } from 'webthing';
import type { JsonValue } from '../engine/gateway';
import type { FiringRecord, RuleInfo } from '../engine/messages';
import {
  engineSettingValue,
  FIRED_EVENT,
  RUN_ACTION,
  ruleThingMembers,
  shapeOf,
  shownSettingValue,
} from '../addon/ruleThingMembers';
import { problemWith, rejection, valueRulesOf } from '../addon/validate';

/** What a served RuleThing asks of the runner. */
export interface RuleThingServerHandlers {
  setEnabled(ruleId: string, enabled: boolean): void;
  /** Rejects with the engine's reason; the property then goes back to the rule's value. */
  setSetting(ruleId: string, name: string, value: JsonValue): Promise<void>;
  run(ruleId: string): void;
}

interface Served {
  thing: Thing;
  // property name -> its value cell, updated from the engine's reports
  values: Map<string, Value>;
  shape: string;
  rule: RuleInfo;
}

/** webthing lists things by index; slots of removed rules stay empty so other hrefs never move. */
class LiveThings extends MultipleThings {
  readonly slots: (Thing | null)[] = [];

  override getThing(idx?: number | string): Thing | null {
    return this.slots[Number(idx)] ?? null;
  }

  override getThings(): Thing[] {
    return this.slots.filter((thing): thing is Thing => thing !== null);
  }
}

export class RuleThingServer {
  private readonly things = new LiveThings([], 'Rule Things');
  // rule id -> what is served for it
  private readonly served = new Map<string, Served>();
  private server?: WebThingServer;

  constructor(private readonly handlers: RuleThingServerHandlers) {}

  /** Listens on `host:port` (port 0: a free one) and resolves with the port. No mDNS. */
  async start(port: number, host = '127.0.0.1'): Promise<number> {
    // Host validation would refuse "127.0.0.1:<port 0's real port>"; the server binds to `host` only.
    this.server = new WebThingServer(this.things, port, host, null, [], '/', true);
    const httpServer = (this.server as unknown as { server: http.Server }).server;
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen({ port, host }, resolve);
    });
    return (httpServer.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const httpServer = (this.server as unknown as { server?: http.Server } | undefined)?.server;
    if (!httpServer?.listening) return;
    httpServer.closeAllConnections();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  }

  /** Shows exactly these rules. */
  showRules(rules: RuleInfo[]): void {
    const ids = new Set(rules.map((rule) => rule.id));
    for (const id of [...this.served.keys()]) if (!ids.has(id)) this.dropRule(id);
    for (const rule of rules) this.showRule(rule);
  }

  /** Adds a rule's thing, or brings its values up to date (rebuilt when its settings changed). */
  showRule(rule: RuleInfo): void {
    const shape = shapeOf(rule);
    const current = this.served.get(rule.id);
    if (current && current.shape === shape) {
      current.rule = rule;
      for (const member of ruleThingMembers(rule).members)
        current.values.get(member.name)?.notifyOfExternalUpdate(member.value);
      return;
    }
    if (current) this.dropRule(rule.id);
    this.add(rule, shape);
  }

  dropRule(ruleId: string): void {
    const served = this.served.get(ruleId);
    if (!served) return;
    this.served.delete(ruleId);
    const slot = this.things.slots.indexOf(served.thing);
    if (slot >= 0) this.things.slots[slot] = null;
  }

  fired(record: FiringRecord): void {
    const served = this.served.get(record.ruleId);
    if (!served) return;
    served.values.get('lastFired')?.notifyOfExternalUpdate(record.at);
    served.thing.addEvent(new Event(served.thing, 'fired', record.trigger));
  }

  private add(rule: RuleInfo, shape: string): void {
    const thing = new Thing(
      `rule-things-${rule.id}`,
      rule.title,
      ['OnOffSwitch'],
      rule.description
    );
    const values = new Map<string, Value>();
    const served: Served = { thing, values, shape, rule };
    for (const member of ruleThingMembers(rule).members) {
      const { name, role, description } = member;
      const value = new Value<unknown>(member.value, (next: unknown) => {
        const problem = problemWith(valueRulesOf(description), next);
        if (problem) throw new Error(rejection(rule.title, name, next, value.get(), problem));
        if (role === 'enabled') this.handlers.setEnabled(rule.id, next as boolean);
        if (role === 'setting') {
          const setting = served.rule.settings.find((s) => s.name === name);
          const engineValue = setting ? engineSettingValue(setting, next as JsonValue) : next;
          this.handlers.setSetting(rule.id, name, engineValue as JsonValue).catch(() => {
            // The engine refused it: show the rule's value again.
            const kept = served.rule.settings.find((s) => s.name === name);
            value.notifyOfExternalUpdate(kept && shownSettingValue(kept));
          });
        }
      });
      values.set(name, value);
      const { pattern, form: _form, ...metadata } = description;
      thing.addProperty(
        new Property(thing, name, value, { ...metadata, ...(pattern && { pattern }) })
      );
    }
    thing.addAvailableEvent('fired', { ...FIRED_EVENT });
    const handlers = this.handlers;
    class RunAction extends Action {
      constructor(target: Thing, input: unknown) {
        super(Math.random().toString(36).slice(2), target, 'run', input);
      }
      override performAction(): Promise<void> {
        handlers.run(rule.id);
        return Promise.resolve();
      }
    }
    thing.addAvailableAction('run', { ...RUN_ACTION }, RunAction);
    const slot = this.things.slots.push(thing) - 1;
    thing.setHrefPrefix(`/${slot}`);
    this.served.set(rule.id, served);
  }
}
