/**
 * One rule as a gateway device (a RuleThing): an on/off switch `enabled`, each rule setting as a
 * writable property, `active`, `lastFired`, `status`, the event `fired` and the action `run`.
 */
import { Action, Adapter, Device, Event } from 'gateway-addon';
import type { JsonValue } from '../engine/gateway';
import type { FiringRecord, RuleInfo, SettingInfo } from '../engine/messages';
import { RuleProperty, RulePropertyDescription } from './RuleProperty';

/** What a RuleThing asks of the add-on; each rejects with a message when it cannot be done. */
export interface RuleThingHandlers {
  setEnabled(ruleId: string, enabled: boolean): Promise<void>;
  setSetting(ruleId: string, name: string, value: JsonValue): Promise<void>;
  run(ruleId: string): Promise<void>;
  /** A write was refused; the message names the thing, property, value and allowed form. */
  rejected(message: string): void;
}

/** Member names of every RuleThing; a rule setting may not take one of them. */
const MEMBERS = ['enabled', 'active', 'lastFired', 'status'];

const PREFIX = 'rule-things-';

export class RuleThing extends Device {
  /** The stable device id of a rule: GUI rules refer to it, so it never depends on the title. */
  static idFor(ruleId: string): string {
    return PREFIX + ruleId.replace(/[^A-Za-z0-9_-]+/g, '-');
  }

  readonly ruleId: string;
  private rule: RuleInfo;
  // Shown in `status` instead of the engine's word: the add-on's own reason (no token, refused input).
  private problem: string | null = null;
  private note: string | null = null;

  constructor(
    adapter: Adapter,
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
    const settings = rule.settings.map(({ value: _value, ...rest }) => rest);
    return JSON.stringify([rule.title, rule.description, settings]);
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
    for (const setting of rule.settings) this.findRuleProperty(setting.name)?.update(setting.value);
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

  override async performAction(action: Action): Promise<void> {
    action.start();
    try {
      await this.handlers.run(this.ruleId);
    } finally {
      action.finish();
    }
  }

  private build(): void {
    const rule = this.rule;
    this.addProperty(
      new RuleProperty(
        this,
        'enabled',
        {
          '@type': 'OnOffProperty',
          title: 'Enabled',
          type: 'boolean',
          description: 'The rule runs only while this is on',
        },
        rule.enabled,
        async (value) => {
          await this.handlers.setEnabled(this.ruleId, value as boolean);
          this.setNote(null);
        },
        (message) => this.refused(message)
      )
    );
    for (const setting of rule.settings) {
      if (MEMBERS.includes(setting.name)) {
        this.note = `setting "${setting.name}" is not shown: the name is taken by a RuleThing member (${MEMBERS.join(', ')}); rename it in ${rule.file}`;
        continue;
      }
      this.addProperty(
        new RuleProperty(
          this,
          setting.name,
          settingDescription(setting),
          setting.value,
          async (value) => {
            await this.handlers.setSetting(this.ruleId, setting.name, value);
            this.setNote(null);
          },
          (message) => this.refused(message)
        )
      );
    }
    const readOnly = (name: string, title: string, type: 'boolean' | 'string', value: JsonValue) =>
      this.addProperty(new RuleProperty(this, name, { title, type, readOnly: true }, value));
    readOnly('active', 'Active', 'boolean', rule.active);
    readOnly('lastFired', 'Last fired', 'string', rule.lastFired ?? '');
    readOnly('status', 'Status', 'string', rule.status);
    this.addEvent('fired', {
      title: 'Fired',
      description: 'The rule ran its action; the data says what triggered it',
      type: 'string',
    });
    this.addAction('run', { title: 'Run', description: 'Run the rule’s action now' });
    this.showStatus();
  }

  private refused(message: string): void {
    this.setNote(message);
    this.handlers.rejected(message);
  }

  private showStatus(): void {
    this.findRuleProperty('status')?.update(this.problem ?? this.note ?? this.rule.status);
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

/** A rule setting as a writable property description, with its constraints. */
function settingDescription(setting: SettingInfo): RulePropertyDescription {
  return {
    title: setting.title,
    type: setting.type,
    description: setting.description,
    unit: setting.unit,
    minimum: setting.minimum,
    maximum: setting.maximum,
    enum: setting.enum as RulePropertyDescription['enum'],
    pattern: setting.pattern,
  };
}
