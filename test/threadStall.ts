/**
 * The longest stretch of CPU work this thread did without letting its event loop turn: what a
 * reaction waiting on the loop would wait for. Measured as the thread's own on-CPU time between
 * two 5 ms ticks (Linux schedstat, in ns), so a machine loaded by other processes, which delays
 * the ticks without this thread doing anything, does not count as a stall.
 */
import fs from 'fs';
import { monitorEventLoopDelay } from 'perf_hooks';

export interface StallMeter {
  /** Stops measuring; the longest stall in ms. */
  stop(): number;
}

export function measureThreadStall(): StallMeter {
  const file = `/proc/self/task/${process.pid}/schedstat`;
  if (!fs.existsSync(file)) {
    // Elsewhere than Linux: the event loop's delay, which a loaded machine inflates.
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    return {
      stop: () => {
        delay.disable();
        return delay.max / 1e6;
      },
    };
  }
  const onCpuNs = (): number => Number(fs.readFileSync(file, 'utf8').split(' ')[0]);
  let last = onCpuNs();
  let longest = 0;
  const tick = setInterval(() => {
    const now = onCpuNs();
    longest = Math.max(longest, now - last);
    last = onCpuNs();
  }, 5);
  return {
    stop: () => {
      clearInterval(tick);
      longest = Math.max(longest, onCpuNs() - last);
      return longest / 1e6;
    },
  };
}
