/**
 * After the suite: ends any gateway a crashed test file left behind and removes the run's files
 * (kept when RULE_THINGS_GW_KEEP is set, to read the gateways' logs and profiles).
 */
import fs from 'fs';
import { killLeftovers } from './processes';
import { suiteState } from './suite';

export default async function globalTeardown(): Promise<void> {
  const { runDir } = suiteState();
  killLeftovers(runDir);
  if (process.env.RULE_THINGS_GW_KEEP) {
    process.stdout.write(`test:gateway: kept the run's profiles and logs in ${runDir}\n`);
    return;
  }
  fs.rmSync(runDir, { recursive: true, force: true });
}
