/** What a rule's `status` says: a load error for good, else why it cannot act now, else its own last word. */

export class RuleStatus {
  private own: string;
  // the type checker's findings in the rule's file ("wake.ts:12:5: …")
  private warnings: string[] = [];

  constructor(private readonly loadError: string | undefined) {
    this.own = loadError ?? 'ok';
  }

  /** The rule's own last word; true when it changed. */
  set(status: string): boolean {
    if (status === this.own) return false;
    this.own = status;
    return true;
  }

  /** Type warnings of the rule's file: shown after an "ok", never a reason to stop; true when they changed. */
  setWarnings(warnings: string[]): boolean {
    if (warnings.join('\n') === this.warnings.join('\n')) return false;
    this.warnings = warnings;
    return true;
  }

  /** Enabled but not started because construction or triggers() failed (a missing thing…). */
  get failedToStart(): boolean {
    return this.own.startsWith('failed to start');
  }

  /**
   * A load error first; then `problem`, why the rule cannot act now (no gateway, a thing to
   * choose, a missing thing); then its own last word, with its file's type warnings after an "ok".
   */
  shown(problem: string | null | undefined): string {
    if (this.loadError) return this.own;
    const status = problem ?? this.own;
    if (status !== 'ok' || this.warnings.length === 0) return status;
    const more = this.warnings.length > 1 ? ` (and ${this.warnings.length - 1} more)` : '';
    return `ok, with warnings: ${this.warnings[0]}${more}`;
  }
}
