/** What every benchmark scenario is: its figures with their targets, and one run that measures them. */
import type { Metric } from './resultShape';

export interface RunOptions {
  /** The reduced version for checks (`--quick`): fewer and shorter runs. */
  quick: boolean;
  /** Progress for the person watching (stderr); results go to the table. */
  log(line: string): void;
}

export interface Scenario {
  /** Prefix of every figure's name ("reaction"). */
  name: string;
  title: string;
  /**
   * Runs only when named (`npm run bench -- isolation`; the gateway's also with --gateway): it takes
   * minutes, or needs the real gateway.
   */
  optIn?: boolean;
  metrics: Metric[];
  /** How many runs make its figures. */
  runs(quick: boolean): number;
  /** One independent run (fresh simulator, fresh engine): a figure per metric name. */
  run(options: RunOptions): Promise<Record<string, number>>;
  /** Before the runs (e.g. start a gateway); a reason to skip the scenario, or undefined. */
  prepare?(options: RunOptions): Promise<string | undefined>;
  /** After the runs, whatever happened (stop what prepare started). */
  finish?(): Promise<void>;
}
