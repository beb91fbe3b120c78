/** The token stays secret: never in logs, error bodies or WebSocket messages. */
import fetch from 'node-fetch';
import { SimulatorServer } from '../../src/simulator';
import { Client, TOKEN } from './serverHelpers';

describe('SimulatorServer secrets', () => {
  test('refused requests are logged without the token or the guess', async () => {
    const lines: string[] = [];
    const server = new SimulatorServer({ token: TOKEN, log: (line) => lines.push(line) });
    await server.start();
    try {
      const response = await fetch(`${server.url}/things?jwt=guess-1234`, {
        headers: { Accept: 'application/json' },
      });
      expect(response.status).toBe(401);
      const body = await response.text();
      const client = await Client.open(server, '/things', 'guess-5678');
      await client.until(() => false);
      expect(lines).toEqual([
        'simulator: refused GET /things: missing or wrong token',
        'simulator: refused WebSocket /things: missing or wrong token',
      ]);
      for (const text of [...lines, body]) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain('guess');
      }
    } finally {
      await server.stop();
    }
  });

  test('a server cannot be made without a token', () => {
    expect(() => new SimulatorServer({ token: '' })).toThrow('needs a token');
  });
});
