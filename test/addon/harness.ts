/**
 * Loads the add-on the way the gateway's addon-loader does (PluginClient(id).register(port) →
 * addonManager, then main(addonManager, manifest, errorCallback)) against an IpcPeer, and unloads
 * it the way the gateway does (adapter unload request, then plugin unload request).
 */
import fs from 'fs';
import path from 'path';
import { AddonManagerProxy, PluginClient } from 'gateway-addon';
import { createMain } from '../../src/index';
import { engineWorkerEntry } from '../../src/host/engineWorkerEntry';
import { writeConfig } from './profile';
import type { RuleThingsAddonOptions } from '../../src/addon/RuleThingsAddon';
import { IpcMessage, IpcPeer, MessageType } from './ipcPeer';

/**
 * The worker most add-on tests run: a protocol peer with canned rules, so they check the add-on's
 * side exactly; test/addon/realEngine.test.ts runs the real engine thread instead.
 */
export const PROTOCOL_PEER_WORKER = path.join(__dirname, 'fixtures', 'protocolPeerWorker.js');

export const ID = 'rule-things';

export interface Loaded {
  client: PluginClient;
  manager: AddonManagerProxy;
  /** What main() reported through errorCallback. */
  fatal: string[];
}

/** The manifest object gateway 2.x passes (deprecated getters only); the add-on must not need it. */
const legacyManifest = {
  name: ID,
  display_name: 'Rule Things',
  moziot: { exec: '{nodeLoader} {path}', config: {} },
};

export async function loadAddon(
  peer: IpcPeer,
  port: number,
  overrides: Partial<Omit<RuleThingsAddonOptions, 'manager'>> = {}
): Promise<Loaded> {
  const client = new PluginClient(ID);
  const manager = await client.register(port);
  if (!(manager instanceof AddonManagerProxy)) throw new Error('registration failed');
  const fatal: string[] = [];
  const main = createMain({
    engineScript: PROTOCOL_PEER_WORKER,
    ...overrides,
    engine: {
      heartbeatTimeoutMs: 5000,
      startupTimeoutMs: 5000,
      stopTimeoutMs: 2000,
      // Jest gives each test file its own process.env; a worker would otherwise get the real one.
      env: process.env,
      // The protocol peer has no standby mode (STANDBY); the real engine has.
      warmSpare: (overrides.engineScript ?? PROTOCOL_PEER_WORKER) !== PROTOCOL_PEER_WORKER,
      ...overrides.engine,
    },
  });
  main(manager, legacyManifest, (_id, error) => fatal.push(String(error)));
  return { client, manager, fatal };
}

/**
 * As the gateway unloads an add-on (Plugin.unloadComponents: each API handler and adapter, then
 * the plugin); resolves when the plugin has answered and closed.
 */
export async function unloadAddon(peer: IpcPeer, loaded: Loaded): Promise<void> {
  if (peer.all(MessageType.API_HANDLER_ADDED_NOTIFICATION).length > 0) {
    const handlerUnloaded = peer.next(
      (m) => m.messageType === MessageType.API_HANDLER_UNLOAD_RESPONSE
    );
    peer.sendRaw(MessageType.API_HANDLER_UNLOAD_REQUEST, { packageName: ID });
    await handlerUnloaded;
  }
  const unloaded = peer.next((m) => m.messageType === MessageType.ADAPTER_UNLOAD_RESPONSE);
  peer.send(MessageType.ADAPTER_UNLOAD_REQUEST);
  await unloaded;
  const pluginUnloaded = peer.next((m) => m.messageType === MessageType.PLUGIN_UNLOAD_RESPONSE);
  const closed = new Promise((resolve) => loaded.client.once('unloaded', resolve));
  peer.send(MessageType.PLUGIN_UNLOAD_REQUEST);
  await pluginUnloaded;
  await closed;
}

/** The description of device `id` from the latest deviceAdded notification. */
export function device(message: IpcMessage): DeviceDescription {
  return message.data.device as DeviceDescription;
}

/**
 * The gateway saves the device of a deviceAdded notification, as when the user adds it under "+"
 * (the gateway then sends deviceSaved, and on every start for each saved thing).
 */
export function saveDevice(peer: IpcPeer, added: IpcMessage): void {
  const { id, ...description } = device(added);
  peer.send(MessageType.DEVICE_SAVED_NOTIFICATION, { deviceId: id, device: description });
}

export interface DeviceDescription {
  id: string;
  title: string;
  '@type': string[];
  properties: Record<string, Record<string, unknown> & { value?: unknown }>;
  events: Record<string, unknown>;
  actions: Record<string, unknown>;
}

export function deviceAdded(id: string): (m: IpcMessage) => boolean {
  return (m) =>
    m.messageType === MessageType.DEVICE_ADDED_NOTIFICATION &&
    (m.data.device as { id: string }).id === id;
}

export function propertyChanged(
  deviceId: string,
  name: string,
  value?: unknown
): (m: IpcMessage) => boolean {
  return (m) => {
    if (m.messageType !== MessageType.DEVICE_PROPERTY_CHANGED_NOTIFICATION) return false;
    const property = m.data.property as { name: string; value: unknown };
    return (
      m.data.deviceId === deviceId &&
      property.name === name &&
      (value === undefined || property.value === value)
    );
  };
}

export function errorNotice(includes: string): (m: IpcMessage) => boolean {
  return (m) =>
    m.messageType === MessageType.PLUGIN_ERROR_NOTIFICATION &&
    String(m.data.message).includes(includes);
}

/** The messages the protocol peer worker got, one object per line of its journal. */
export function journal(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Polls the journal (a file written by another thread) until `test` holds. */
export async function journalHas(
  file: string,
  test: (entry: Record<string, unknown>) => boolean,
  timeoutMs = 5000
): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = journal(file).find(test);
    if (found) return found;
    if (Date.now() > until) throw new Error('journal: no matching entry');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Saves settings pointing at `gatewayUrl` (a simulator) and `rulesFolder`, then loads the add-on
 * with its real engine thread, as the gateway would run it.
 */
export async function loadAddonWithEngine(
  peer: IpcPeer,
  port: number,
  setup: {
    gatewayUrl: string;
    token: string;
    rulesFolder: string;
    engine?: NonNullable<RuleThingsAddonOptions['engine']>;
    /** More of the add-on's settings, as the gateway's form saves them. */
    config?: Record<string, unknown>;
  }
): Promise<Loaded> {
  await writeConfig({
    gatewayUrl: setup.gatewayUrl,
    accessToken: setup.token,
    latitude: 52.52,
    longitude: 13.4,
    timeZone: 'Europe/Berlin',
    rulesFolder: setup.rulesFolder,
    ...setup.config,
  });
  const entry = engineWorkerEntry();
  return loadAddon(peer, port, {
    engineScript: entry.script,
    engine: { execArgv: entry.execArgv, startupTimeoutMs: 20_000, ...setup.engine },
  });
}
