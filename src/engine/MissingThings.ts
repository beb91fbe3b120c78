/** The things a rule uses that left the gateway: while any is gone the rule waits, and its status names them. */

export class MissingThings {
  // thing id -> its title when it was removed
  private readonly missing = new Map<string, string>();

  add(thingId: string, title: string): void {
    this.missing.set(thingId, title);
  }

  /** True if the thing was missing (the rule may resume). */
  delete(thingId: string): boolean {
    return this.missing.delete(thingId);
  }

  get any(): boolean {
    return this.missing.size > 0;
  }

  /** 'waiting for "Porch Light", which was removed from the gateway; …', or null. */
  get problem(): string | null {
    if (this.missing.size === 0) return null;
    const names = [...this.missing.values()].map((title) => `"${title}"`).join(', ');
    const which = this.missing.size === 1 ? 'which was' : 'which were';
    return `waiting for ${names}, ${which} removed from the gateway; the rule resumes when ${this.missing.size === 1 ? 'it returns' : 'they return'}`;
  }
}
