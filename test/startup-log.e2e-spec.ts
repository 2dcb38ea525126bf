import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServer, waitForHttp } from './support/processes';
import { TEST_JWT_SECRET } from './support/test-app';

/**
 * Starts the built service, waits for /health, stops it: everything it logged
 * before the stop (the drain's own lines are the shutdown spec's).
 */
async function startUpLog(env: Record<string, string>): Promise<{ port: string; lines: string[] }> {
  const port = String(await freePort());
  const cwd = mkdtempSync(join(tmpdir(), 'gatehouse-startup-'));
  const server = startServer(
    { HOST: '127.0.0.1', PORT: port, JWT_SECRET: TEST_JWT_SECRET, ...env },
    cwd,
  );
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, server);
  } finally {
    await server.stop();
  }
  const lines = server.output().trim().split('\n');
  const stop = lines.findIndex((line) => line.includes('SIGTERM received'));
  return { port, lines: stop === -1 ? lines : lines.slice(0, stop) };
}

describe('what npm start logs', () => {
  it('one summary line at info: address, database, surfaces, docs; JSON when not on a terminal', async () => {
    const { port, lines } = await startUpLog({ LOG_LEVEL: 'info' });
    const entries = lines.map((line) => JSON.parse(line) as { msg?: string; level: number });
    const infos = entries.filter((entry) => entry.level >= 30);
    expect(infos.map((entry) => entry.msg)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Gatehouse listening on http://127\\.0\\.0\\.1:${port} · SQLite .*gatehouse\\.sqlite · ` +
            'surfaces: djoser \\+ SimpleJWT, fastapi-users, dj-rest-auth \\(Token and JWT\\), SimpleJWT views, admin \\(users, account providers\\), JWKS, health · ' +
            `docs http://127\\.0\\.0\\.1:${port}/docs$`,
        ),
      ),
    ]);
  });

  it('the route table at debug', async () => {
    const { lines } = await startUpLog({ LOG_LEVEL: 'debug' });
    const routes = lines.filter((line) => line.includes('Mapped {/api/token, POST} route'));
    expect(routes).toHaveLength(1);
    expect(JSON.parse(routes[0]).level).toBe(20);
  });

  it('readable lines with LOG_FORMAT=pretty (what a terminal gets)', async () => {
    const { lines } = await startUpLog({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Gatehouse\] Gatehouse listening on /,
    );
    expect(() => JSON.parse(lines[0])).toThrow();
  });
});
