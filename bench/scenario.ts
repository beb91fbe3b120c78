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
  /** Runs only when named (`npm run bench -- isolation`): it takes minutes and is not a speed figure. */
  optIn?: boolean;
  metrics: Metric[];
  /** How many runs make its figures. */
  runs(quick: boolean): number;
  /** One independent run (fresh simulator, fresh engine): a figure per metric name. */
  run(options: RunOptions): Promise<Record<string, number>>;
}
