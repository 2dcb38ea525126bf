import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runCli, startServer, waitForHttp } from './support/processes';

/** The built service started as `npm start` starts it, in a directory of its own. */
describe('booting the service', () => {
  let cwd: string;

  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'gatehouse-boot-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('starts with no configuration on SQLite under ./data, and keeps CLI users across restarts', async () => {
    const port = String(await freePort());
    const first = startServer({ PORT: port }, cwd);
    try {
      const health = await waitForHttp(`http://127.0.0.1:${port}/health`, first);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' } },
      });
    } finally {
      await first.stop();
    }
    expect(existsSync(join(cwd, 'data/gatehouse.sqlite'))).toBe(true);
    expect(existsSync(join(cwd, 'data/jwt-secret.dev'))).toBe(true);
    // Logs are JSON lines and hold no secret.
    const lines = first.output().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

    const created = await runCli(
      ['users:create', '--email', 'kept@example.com', '--password', 'pw-kept-1'],
      {},
      cwd,
    );
    expect(created.code).toBe(0);

    const second = startServer({ PORT: port }, cwd);
    try {
      expect((await waitForHttp(`http://127.0.0.1:${port}/health`, second)).status).toBe(200);
      const found = await runCli(
        ['users:set-password', '--email', 'kept@example.com', '--password', 'pw-kept-2'],
        {},
        cwd,
      );
      expect(found.code).toBe(0);
      expect(found.stdout.trim()).toBe(`password set for user ${created.stdout.trim()}`);
    } finally {
      await second.stop();
    }
  });

  it('fails at once on a bad PORT with one line naming it', async () => {
    const server = startServer({ PORT: 'abc' }, cwd);
    const code = await server.exited;
    expect(code).toBe(1);
    expect(server.output().trim()).toBe(
      'gatehouse: PORT must be an integer from 0 to 65535 (got "abc")',
    );
  });

  it('refuses to boot in production without JWT_SECRET and DATABASE_URL', async () => {
    const noDatabase = startServer({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40) }, cwd);
    expect(await noDatabase.exited).toBe(1);
    expect(noDatabase.output()).toMatch(
      /^gatehouse: DATABASE_URL is required when NODE_ENV=production/,
    );

    const noSecret = startServer(
      { NODE_ENV: 'production', DATABASE_URL: `sqlite:${join(cwd, 'prod.sqlite')}` },
      cwd,
    );
    expect(await noSecret.exited).toBe(1);
    expect(noSecret.output()).toMatch(
      /^gatehouse: JWT_SECRET is required when NODE_ENV=production/,
    );
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });
});
