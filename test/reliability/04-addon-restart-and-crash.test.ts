/**
 * Issue 6, point 4: enabled flags and settings survive a kill -9 of the add-on in the middle of
 * writing them (temp file, fsync, rename); a corrupt state file is moved aside, the defaults are
 * used, and the gateway is told so in words.
 */
import { dataDir, home, removeHome, writeConfig } from '../addon/profile';
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { StateStore } from '../../src/host/StateStore';
import { VirtualClock } from '../../src/clock';
import { IpcPeer } from '../addon/ipcPeer';
import { device, deviceAdded, errorNotice, loadAddon, unloadAddon } from '../addon/harness';
import { TOKEN } from './stack';

const stateFile = path.join(dataDir, 'rule-things', 'state.json');

afterAll(() => removeHome());

/** Starts the writer and kills it with SIGKILL once it reports write `after` done; resolves with that count. */
function killWhileWriting(after: number): Promise<number> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', 'sucrase/register', path.join(__dirname, 'fixtures', 'writeStateForever.ts'), stateFile],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
  return new Promise((resolve, reject) => {
    let saved = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/saved (\d+)/g)) saved = Number(match[1]);
      if (saved >= after) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(saved) : reject(new Error(`writer exited with ${code}`))
    );
  });
}

test('enabled flags and settings survive ten kill -9s in the middle of writing them', async () => {
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  for (let round = 0; round < 10; round++) {
    const acknowledged = await killWhileWriting(1 + (round % 4));
    const store = new StateStore(stateFile, new VirtualClock('2027-06-14T08:00'));
    // Never corrupt: the file is the last complete write or a later one, never a torn one.
    expect(store.load()).toBeNull();
    const wake = store.get('morning-wake')!;
    // Each writer counts from 1, so the file holds this round's last acknowledged write or a later one.
    expect(wake.settings!.count as number).toBeGreaterThanOrEqual(acknowledged);
    expect(typeof wake.enabled).toBe('boolean');
    expect((store.get('learning-scene')!.settings!.scene as string).length).toBeGreaterThan(
      100_000
    );
  }
}, 60_000);

test('a corrupt state file is moved aside, the rules start with their defaults, and the gateway is told', async () => {
  const peer = new IpcPeer({ dataDir, baseDir: home });
  const port = await peer.listen();
  await writeConfig({ accessToken: TOKEN, latitude: 52.52, longitude: 13.4, timeZone: 'UTC' });
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  fs.writeFileSync(stateFile, '{"version":1,"rules":{"morning-wake":{"enabled":fal');

  const loaded = await loadAddon(peer, port);
  try {
    const notice = await peer.waitFor(errorNotice('The saved rule states were corrupt'));
    expect(String(notice.data.message)).toMatch(
      /corrupt \(not JSON: .*\); the file was kept as .*state\.json\.corrupt-\d{8}T\d{6}Z and the rules start with their defaults/
    );
    const backups = fs.readdirSync(path.dirname(stateFile)).filter((f) => f.includes('.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(path.dirname(stateFile), backups[0]), 'utf8')).toContain(
      '"enabled":fal'
    );
    const wake = device(await peer.waitFor(deviceAdded('rule-things-morning-wake')));
    expect(wake.properties.enabled.value).toBe(true);
  } finally {
    await unloadAddon(peer, loaded);
    await peer.close();
  }
});
