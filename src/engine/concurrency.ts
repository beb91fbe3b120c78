/**
 * What happens when a rule is triggered while its async action still runs, as data rather than
 * `if`s in every rule (Home Assistant's script modes): `single` refuses the new trigger, `restart`
 * aborts the running action and starts again, `queued` runs them one after another (at most `max`
 * waiting), `parallel` runs up to `max` at once.
 */

export type RuleMode = 'single' | 'restart' | 'queued' | 'parallel';

export const RULE_MODES: readonly RuleMode[] = ['single', 'restart', 'queued', 'parallel'];

/** One run as the gate sees it: start it (a promise while it is still going), or abort it. */
export interface Startable {
  start(): Promise<void> | undefined;
  abort(reason: string): void;
}

export type Admission = 'started' | 'queued' | 'refused';

export class RunGate {
  // runs whose promise has not settled yet
  private readonly running = new Set<Startable>();
  // runs waiting their turn (queued mode), oldest first
  private readonly waiting: Startable[] = [];

  constructor(
    readonly mode: RuleMode,
    readonly max: number,
    /** Asked before a queued run starts: a rule disabled meanwhile runs nothing more. */
    private readonly mayStart: () => boolean,
    /** Told when the gate goes from idle to busy and back (for the rule's `active`). */
    private readonly onBusyChange: (busy: boolean) => void
  ) {}

  get busy(): boolean {
    return this.running.size > 0;
  }

  get queued(): number {
    return this.waiting.length;
  }

  admit(run: Startable): Admission {
    if (this.running.size > 0) {
      switch (this.mode) {
        case 'single':
          return 'refused';
        case 'restart':
          this.abortRunning('restarted by a new trigger');
          break;
        case 'queued':
          if (this.waiting.length >= this.max) return 'refused';
          this.waiting.push(run);
          return 'queued';
        case 'parallel':
          if (this.running.size >= this.max) return 'refused';
          break;
      }
    }
    this.launch(run);
    return 'started';
  }

  /** Aborts what runs and forgets what waits (the rule stopped or its While phase ended). */
  abortAll(reason: string): void {
    this.waiting.length = 0;
    this.abortRunning(reason);
  }

  private abortRunning(reason: string): void {
    for (const run of this.running) run.abort(reason);
  }

  private launch(run: Startable): void {
    const pending = run.start();
    if (!pending) return;
    this.running.add(run);
    if (this.running.size === 1) this.onBusyChange(true);
    const settled = (): void => {
      this.running.delete(run);
      this.startNext();
      if (this.running.size === 0) this.onBusyChange(false);
    };
    pending.then(settled, settled);
  }

  private startNext(): void {
    while (this.running.size === 0 && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      if (!this.mayStart()) {
        this.waiting.length = 0;
        return;
      }
      this.launch(next);
    }
  }
}
