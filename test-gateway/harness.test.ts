/**
 * The harness itself: a gateway on its own ports whose add-ons register on its own IPC port, and
 * our add-on installed from the tarball, configured, and offering its things.
 */
import { Gateway, RULE_THINGS, scenario, thingId } from './harness';

let gw: Gateway;
beforeAll(async () => {
  gw = await Gateway.start();
}, 240_000);
afterAll(() => gw?.stop());

describe('the real-gateway harness', () => {
  it('runs the gateway and its add-ons on the ports it picked (ipc from local.json and NODE_CONFIG)', async () => {
    expect(gw.log()).toContain(`${gw.ports.http}`);
    const adapters = await gw.apiOk<{ id: string; ready: boolean }[]>('GET', '/adapters');
    expect(adapters.map((a) => a.id).sort()).toEqual([RULE_THINGS, 'virtual-things']);
    // An add-on that registered elsewhere would never appear in this gateway's adapters.
    expect(gw.log()).not.toMatch(/EADDRINUSE|ECONNREFUSED.*9500/);
    scenario('harness', 'ports', `http ${gw.ports.http}, ipc ${gw.ports.ipc}`);
  });

  it('has the virtual things added and our add-on installed from its tarball', async () => {
    const things = await gw.things();
    expect(things.filter((t) => thingId(t).startsWith('virtual-things-')).length).toBe(31);
    const addon = await gw.apiOk<{ id: string; version: string; enabled: boolean }[]>(
      'GET',
      '/addons'
    );
    expect(addon.find((a) => a.id === RULE_THINGS)).toMatchObject({
      enabled: true,
      version: gw.suite.tarball.version,
    });
    const offered = await gw.newThings();
    expect(offered.map(thingId)).toContain('rule-things-sun');
  });
});
