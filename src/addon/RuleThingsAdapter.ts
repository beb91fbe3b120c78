/**
 * The gateway-addon Adapter of Rule Things: it owns the RuleThing devices and the Sun thing,
 * announces them on start, offers them again in `startPairing`, honours `removeThing`, sends
 * events only of the things the gateway has saved, and resolves `unload()` only once the engine
 * has stopped. One method per IPC message, as in
 * gateway-addon's own Adapter.
 */
import { AddonManagerProxy, Adapter, Device } from 'gateway-addon';
import type { Clock } from '../clock';
import type { FiringRecord, RuleInfo } from '../engine/messages';
import { RuleThing, RuleThingHandlers } from './RuleThing';
import type { SavedDevices } from './SavedDevice';
import { SunThing } from './SunThing';

export class RuleThingsAdapter extends Adapter implements SavedDevices {
  readonly sun: SunThing;
  // rule id -> its RuleThing, including those the user removed from the gateway (offered again when pairing)
  private readonly things = new Map<string, RuleThing>();
  // device ids the user removed from the gateway; not announced again until the next pairing
  private readonly removed = new Set<string>();
  // device ids the gateway has saved (added by the user): only their events are sent
  private readonly saved = new Set<string>();
  private problem: string | null = null;
  // rule id -> its newest info, waiting to be announced until the gateway waits on no write
  private readonly reannounce = new Map<string, RuleInfo>();

  constructor(
    manager: AddonManagerProxy,
    packageName: string,
    clock: Clock,
    private readonly handlers: RuleThingHandlers,
    private readonly onUnload: () => Promise<void>
  ) {
    super(manager, packageName, packageName);
    this.setName('RuleThingsAdapter');
    this.sun = new SunThing(this, clock);
  }

  /** Announces the built-in things; called once the adapter is registered with the manager. */
  announceBuiltIns(): void {
    this.announce(this.sun);
  }

  /** The engine's full list: unknown rules appear, known ones update, missing ones go. */
  showRules(rules: RuleInfo[]): void {
    const ids = new Set(rules.map((rule) => rule.id));
    for (const ruleId of [...this.things.keys()]) if (!ids.has(ruleId)) this.dropRule(ruleId);
    for (const rule of rules) this.showRule(rule);
  }

  /** Adds or updates one rule's thing; a changed description is announced again. */
  showRule(rule: RuleInfo): void {
    const existing = this.things.get(rule.id);
    if (existing && existing.shape() === RuleThing.shapeOf(rule)) {
      this.reannounce.delete(rule.id);
      existing.update(rule);
      return;
    }
    if (existing) {
      // A thing setting's drop-down grew (a device was paired…) while the gateway may wait on a write.
      const waiting = this.reannounce.has(rule.id);
      this.reannounce.set(rule.id, rule);
      if (!waiting) existing.afterWrites(() => this.announceAgain(rule.id, existing));
      return;
    }
    this.create(rule);
  }

  private announceAgain(ruleId: string, existing: RuleThing): void {
    const rule = this.reannounce.get(ruleId);
    this.reannounce.delete(ruleId);
    if (!rule || this.things.get(ruleId) !== existing) return;
    if (existing.shape() === RuleThing.shapeOf(rule)) existing.update(rule);
    else this.create(rule);
  }

  private create(rule: RuleInfo): void {
    const thing = new RuleThing(this, rule, this.handlers);
    thing.setProblem(this.problem);
    this.things.set(rule.id, thing);
    this.announce(thing);
  }

  /** The rule is gone (its file deleted): so is its thing. */
  dropRule(ruleId: string): void {
    const thing = this.things.get(ruleId);
    if (!thing) return;
    this.things.delete(ruleId);
    this.reannounce.delete(ruleId);
    this.removed.delete(thing.getId());
    if (this.getDevice(thing.getId())) this.handleDeviceRemoved(thing);
  }

  thing(ruleId: string): RuleThing | undefined {
    return this.things.get(ruleId);
  }

  rules(): RuleThing[] {
    return [...this.things.values()];
  }

  fired(record: FiringRecord): void {
    this.things.get(record.ruleId)?.fired(record);
  }

  /** A reason every rule is held back (no access token…), shown in each `status`; null clears it. */
  setProblem(problem: string | null): void {
    this.problem = problem;
    for (const thing of this.things.values()) thing.setProblem(problem);
  }

  /** "+" on the Things page: offer every thing again, including those the user removed. */
  override startPairing(_timeoutSeconds: number): void {
    this.removed.clear();
    this.announce(this.sun);
    for (const thing of this.things.values()) this.announce(thing);
  }

  /** The gateway has this thing (told at start for every saved thing, and when one is added). */
  override handleDeviceSaved(deviceId: string): void {
    this.saved.add(deviceId);
  }

  isSaved(deviceId: string): boolean {
    return this.saved.has(deviceId);
  }

  /** The user removed a thing in the gateway: forget it until the next pairing. */
  override removeThing(device: Device): void {
    this.saved.delete(device.getId());
    this.removed.add(device.getId());
    this.handleDeviceRemoved(device);
  }

  override async unload(): Promise<void> {
    this.sun.stop();
    await this.onUnload();
  }

  private announce(device: Device): void {
    if (this.removed.has(device.getId())) return;
    this.handleDeviceAdded(device);
  }
}
