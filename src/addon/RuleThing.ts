/**
 * One rule as a gateway device (a RuleThing): an on/off switch `enabled`, each rule setting as a
 * writable property, `active`, `lastFired`, `status`, the event `fired` and the action `run`.
 */
import { Action, Adapter, Event } from 'gateway-addon';
import type { JsonValue } from '../protocol/gateway';
import type { FiringRecord, RuleInfo } from '../engine/messages';
import { OWN_THING_PREFIX } from '../engine/names';
import { RuleProperty } from './RuleProperty';
import { SavedDevice, SavedDevices } from './SavedDevice';
import {
  engineSettingValue,
  FIRED_EVENT,
  FIXED_MEMBERS,
  RUN_ACTION,
  ruleThingMembers,
  shapeOf,
  shownSettingValue,
} from '../host/ruleThingMembers';

/** What a RuleThing asks of the add-on; each rejects with a message when it cannot be done. */
export interface RuleThingHandlers {
  setEnabled(ruleId: string, enabled: boolean): Promise<void>;
  setSetting(ruleId: string, name: string, value: JsonValue): Promise<void>;
  run(ruleId: string): Promise<void>;
  /** A write was refused; the message names the thing, property, value and allowed form. */
  rejected(message: string): void;
}

export class RuleThing extends SavedDevice {
  /** The stable device id of a rule: GUI rules refer to it, so it never depends on the title. */
  static idFor(ruleId: string): string {
    return OWN_THING_PREFIX + ruleId.replace(/[^A-Za-z0-9_-]+/g, '-');
  }

  readonly ruleId: string;
  private rule: RuleInfo;
  // Shown in `status` instead of the engine's word: the add-on's own reason (no token, refused input).
  private problem: string | null = null;
  private note: string | null = null;
  // writes the gateway is waiting on: announcing the device again meanwhile would lose its answer
  private writes = 0;
  // told once no write is pending (a new announcement waits for that)
  private idle: (() => void)[] = [];

  constructor(
    adapter: Adapter & SavedDevices,
    rule: RuleInfo,
    private readonly handlers: RuleThingHandlers
  ) {
    super(adapter, RuleThing.idFor(rule.id));
    this.ruleId = rule.id;
    this.rule = rule;
    this.setTypes(['OnOffSwitch']);
    this.setTitle(rule.title);
    this.setDescription(rule.description);
    this.build();
  }

  /**
   * Everything of the description that the gateway stores when the thing is added; when it
   * changes (a setting added, a range changed) the device must be announced again.
   */
  static shapeOf(rule: RuleInfo): string {
    // Not the description: it quotes setting values ("at 06:30 …"), and announcing the device
    // again on each alarm change would drop the gateway's pending write of that very setting.
    return shapeOf(rule);
  }

  /**
   * Runs `fn` once the gateway waits on no write to this thing: the gateway replaces its device
   * on a new announcement, and a write still pending on the old one would never be answered.
   */
  afterWrites(fn: () => void): void {
    if (this.writes === 0) fn();
    else this.idle.push(fn);
  }

  shape(): string {
    return RuleThing.shapeOf(this.rule);
  }

  info(): RuleInfo {
    return this.rule;
  }

  /** Takes the engine's latest view of the rule; only changed values reach the gateway. */
  update(rule: RuleInfo): void {
    this.rule = rule;
    this.prop('enabled').update(rule.enabled);
    this.prop('active').update(rule.active);
    if (rule.lastFired) this.prop('lastFired').update(rule.lastFired);
    this.prop('nextFire').update(rule.nextFire ?? '');
    for (const setting of rule.settings)
      this.findRuleProperty(setting.name)?.update(shownSettingValue(setting));
    this.showStatus();
  }

  /** The add-on's reason this rule cannot run as it should (no access token…); null clears it. */
  setProblem(problem: string | null): void {
    this.problem = problem;
    this.showStatus();
  }

  /** A passing remark shown in `status` until the next accepted write or engine status. */
  setNote(note: string | null): void {
    this.note = note;
    this.showStatus();
  }

  /** The rule acted: `lastFired` moves and the `fired` event reaches GUI rules. */
  fired(record: FiringRecord): void {
    this.rule = { ...this.rule, lastFired: record.at };
    this.prop('lastFired').update(record.at);
    this.eventNotify(new Event(this, 'fired', record.trigger));
  }

  /**
   * The writable property of setting `name`, or undefined when the rule has no such setting
   * (or it is hidden because its name is a member's): the page writes settings only through it.
   */
  settingProperty(name: string): RuleProperty | undefined {
    if (FIXED_MEMBERS.includes(name) || !this.rule.settings.some((s) => s.name === name))
      return undefined;
    return this.findRuleProperty(name);
  }

  /** What `status` shows: the add-on's reason, a passing note, or the engine's word. */
  shownStatus(): string {
    return this.problem ?? this.note ?? this.rule.status;
  }

  /** Runs the rule's action now, as the `run` action does. */
  runNow(): Promise<void> {
    return this.handlers.run(this.ruleId);
  }

  override async performAction(action: Action): Promise<void> {
    action.start();
    try {
      await this.handlers.run(this.ruleId);
    } finally {
      action.finish();
    }
  }

  private build(): void {
    const { members, note } = ruleThingMembers(this.rule);
    if (note) this.note = note;
    for (const member of members) {
      const write =
        member.role === 'enabled'
          ? (value: JsonValue) => this.handlers.setEnabled(this.ruleId, value as boolean)
          : member.role === 'setting'
            ? (value: JsonValue) => this.writeSetting(member.name, value)
            : undefined;
      this.addProperty(
        new RuleProperty(
          this,
          member.name,
          member.description,
          member.value,
          write &&
            (async (value) => {
              this.writes++;
              try {
                await write(value);
                this.setNote(null);
              } finally {
                // The gateway's answer (propertyChanged, sent once this returns or throws) goes first.
                setImmediate(() => this.writeSettled());
              }
            }),
          write && ((message) => this.refused(message))
        )
      );
    }
    this.addEvent('fired', { ...FIRED_EVENT });
    this.addAction('run', { ...RUN_ACTION });
    this.showStatus();
  }

  private writeSetting(name: string, value: JsonValue): Promise<void> {
    const setting = this.rule.settings.find((s) => s.name === name);
    const engineValue = setting ? engineSettingValue(setting, value) : value;
    return this.handlers.setSetting(this.ruleId, name, engineValue);
  }

  private writeSettled(): void {
    this.writes--;
    if (this.writes > 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const fn of waiting) fn();
  }

  private refused(message: string): void {
    this.setNote(message);
    this.handlers.rejected(message);
  }

  private showStatus(): void {
    this.findRuleProperty('status')?.update(this.shownStatus());
  }

  private prop(name: string): RuleProperty {
    const property = this.findRuleProperty(name);
    if (!property) throw new Error(`RuleThing ${this.getId()} has no property "${name}"`);
    return property;
  }

  private findRuleProperty(name: string): RuleProperty | undefined {
    return this.findProperty(name) as RuleProperty | undefined;
  }
}
