/** Watches a folder and reports each changed, added or removed file once it has been quiet briefly. */
import fs from 'fs';
import type { Cancel, Clock } from '../clock';

/**
 * Calls `onChange(fileName)` after a file in `folder` changes (editors write in bursts, so each
 * file waits `quietMs` after its last event). Returns the cancel that stops watching.
 */
export function watchFolder(
  folder: string,
  clock: Clock,
  onChange: (fileName: string) => void,
  quietMs = 300
): Cancel {
  // file name -> cancel of its pending report
  const pending = new Map<string, Cancel>();
  const watcher = fs.watch(folder, { persistent: false }, (_event, fileName) => {
    if (!fileName) return;
    const name = fileName.toString();
    pending.get(name)?.();
    pending.set(
      name,
      clock.after(quietMs, () => {
        pending.delete(name);
        onChange(name);
      })
    );
  });
  watcher.on('error', () => undefined);
  return () => {
    watcher.close();
    for (const cancel of pending.values()) cancel();
    pending.clear();
  };
}
