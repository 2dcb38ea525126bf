import { freePort, startServer, waitForHttp } from './support/processes';
import { createTestDatabase } from './support/test-database';
import { testEnvironment } from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';

describe('graceful shutdown', () => {
  it('answers the request in flight on SIGTERM, then exits within SHUTDOWN_TIMEOUT', async () => {
    const database = await createTestDatabase();
    const port = String(await freePort());
    const base = `http://127.0.0.1:${port}`;
    const server = startServer(
      testEnvironment(database.url, {
        HOST: '127.0.0.1',
        PORT: port,
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT: '20',
        // A slow hash keeps the login in flight while the signal arrives.
        ARGON2_MEMORY_COST: '131072',
        ARGON2_TIME_COST: '6',
      }),
    );
    try {
      await waitForHttp(`${base}/health/live`, server, 60_000);
      const json = { 'content-type': 'application/json' };
      const registered = await fetch(`${base}/auth/registration/`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          email: 'drain@example.com',
          password1: PASSWORD,
          password2: PASSWORD,
        }),
      });
      expect(registered.status).toBe(201);

      const login = fetch(`${base}/auth/login/`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'drain@example.com', password: PASSWORD }),
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      server.child.kill('SIGTERM');

      const answer = await login;
      expect(answer.status).toBe(200);
      expect((await answer.json()).key).toMatch(/^[0-9a-f]{40}$/);
      await server.exited;
      expect(server.output()).not.toContain('shutdown took longer');
      // Stopped accepting: nothing answers on the port any more.
      await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
      }
      await database.drop();
    }
  }, 120_000);
});
