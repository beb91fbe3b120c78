/** Cancels grouped by owner, so stopping a rule drops everything it subscribed in one call. */
import type { Cancel } from '../clock';

export class OwnedSubscriptions {
  // owner (a rule's runtime, the system) -> the cancels of what it subscribed
  private readonly byOwner = new Map<object, Cancel[]>();

  add(owner: object, cancel: Cancel): void {
    const list = this.byOwner.get(owner);
    if (list) list.push(cancel);
    else this.byOwner.set(owner, [cancel]);
  }

  /** Cancels everything `owner` subscribed; a cancel that throws does not keep the others. */
  drop(owner: object): unknown[] {
    const list = this.byOwner.get(owner) ?? [];
    this.byOwner.delete(owner);
    const errors: unknown[] = [];
    for (const cancel of list.reverse()) {
      try {
        cancel();
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }

  count(owner: object): number {
    return this.byOwner.get(owner)?.length ?? 0;
  }
}
