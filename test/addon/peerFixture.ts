/**
 * The gateway's side of the add-on IPC for one test file: a peer listening on 127.0.0.1 before the
 * tests and closed after them (with the throw-away profile). The add-on a test loads is unloaded
 * after that test (`each`) or after the file (`all`), and every IPC message the peer saw must have
 * matched gateway-addon's schemas.
 */
import { dataDir, home, removeHome } from './profile';
import { loadAddon, Loaded, unloadAddon } from './harness';
import { IpcPeer, MessageType } from './ipcPeer';

export interface PeerFixture {
  readonly peer: IpcPeer;
  /** Loads the add-on as the gateway does (with the protocol-peer engine unless overridden). */
  load(overrides?: Parameters<typeof loadAddon>[2]): Promise<Loaded>;
  /** Unloads it now, as the gateway does, if it is loaded. */
  unload(): Promise<void>;
  /** The gateway's setProperty command, as a user's write in the UI sends it. */
  setProperty(deviceId: string, propertyName: string, propertyValue: unknown): void;
}

/** Registers the file's hooks; `env` is set for the file (the protocol-peer engine reads it). */
export function usePeer(
  unloadAfter: 'each' | 'all',
  env: Record<string, string> = {}
): PeerFixture {
  const peer = new IpcPeer({ dataDir, baseDir: home });
  let port = 0;
  let loaded: Loaded | undefined;
  const unload = async (): Promise<void> => {
    if (loaded) await unloadAddon(peer, loaded);
    loaded = undefined;
  };
  beforeAll(async () => {
    Object.assign(process.env, env);
    port = await peer.listen();
  });
  if (unloadAfter === 'each') {
    afterEach(async () => {
      await unload();
      expect(peer.invalid).toEqual([]);
    });
  }
  afterAll(async () => {
    await unload();
    expect(peer.invalid).toEqual([]);
    await peer.close();
    removeHome();
  });
  return {
    peer,
    load: async (overrides = {}) => (loaded = await loadAddon(peer, port, overrides)),
    unload,
    setProperty: (deviceId, propertyName, propertyValue) =>
      peer.send(MessageType.DEVICE_SET_PROPERTY_COMMAND, { deviceId, propertyName, propertyValue }),
  };
}
