/** The demo mode: buttons and motion on a virtual clock, and nothing left scheduled once stopped. */
import { VirtualClock } from '../../src/clock';
import { seedHome, SimulatorServer } from '../../src/simulator';

function demoServer(): { server: SimulatorServer; clock: VirtualClock; lines: string[] } {
  const lines: string[] = [];
  const server = new SimulatorServer({ token: 't', log: (line) => lines.push(line) });
  return { server, clock: new VirtualClock('2027-06-01T12:00'), lines };
}

describe('Demo', () => {
  test('buttons take turns being pressed on the press interval', async () => {
    const { server, clock, lines } = demoServer();
    const pressed: string[] = [];
    server.home.on('event', ({ thingId }) => pressed.push(thingId));
    server.startDemo(clock, { pressEvery: '20s', motionEvery: '1h' });
    await clock.advance('19s');
    expect(pressed).toEqual([]);
    await clock.advance('41s');
    expect(pressed).toEqual(['sim-button-1', 'sim-button-2', 'sim-button-1']);
    expect(lines).toContain('demo: pressed Button 2');
    server.stopDemo();
  });

  test('motion is detected on its interval and clears after a while', async () => {
    const { server, clock } = demoServer();
    server.startDemo(clock, { pressEvery: '1h', motionEvery: '45s', motionLasts: '10s' });
    await clock.advance('45s');
    expect(server.home.getProperty('sim-motion-sensor', 'motion')).toBe(true);
    await clock.advance('10s');
    expect(server.home.getProperty('sim-motion-sensor', 'motion')).toBe(false);
    server.stopDemo();
  });

  test('stopping the demo, or the server, cancels everything it scheduled', async () => {
    const { server, clock } = demoServer();
    server.startDemo(clock, { motionEvery: '1s' });
    await clock.advance('1s');
    expect(clock.pending()).toBeGreaterThan(0);
    await server.stop();
    expect(clock.pending()).toBe(0);
  });

  test('the demo carries on when a button has been removed or replaced', async () => {
    const home = seedHome();
    const lines: string[] = [];
    const server = new SimulatorServer({ token: 't', home, log: (line) => lines.push(line) });
    const clock = new VirtualClock('2027-06-01T12:00');
    home.removeThing('sim-button-1');
    home.removeThing('sim-button-2');
    home.addThing({ id: 'sim-b2', title: 'Button 2' });
    server.startDemo(clock, { pressEvery: '1s', motionEvery: '1h' });
    await expect(clock.advance('3s')).resolves.toBeUndefined();
    expect(lines).toContain(
      'demo: Unknown event: "Button 2" (sim-b2) has no event "pressed" (it has none)'
    );
    server.stopDemo();
  });
});
