import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
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
      ['users:create', '--email', 'kept@example.com', '--password', 'Kept-Quartz-71'],
      {},
      cwd,
    );
    expect(created.code).toBe(0);

    const second = startServer({ PORT: port }, cwd);
    try {
      expect((await waitForHttp(`http://127.0.0.1:${port}/health`, second)).status).toBe(200);
      const found = await runCli(
        ['users:set-password', '--email', 'kept@example.com', '--password', 'Kept-Quartz-72'],
        {},
        cwd,
      );
      expect(found.code).toBe(0);
      expect(found.stdout.trim()).toBe(`password set for user ${created.stdout.trim()}`);
    } finally {
      await second.stop();
    }
  });

  it('reads ./.env when present; the real environment wins over it', async () => {
    const [fromFile, fromEnv] = [String(await freePort()), String(await freePort())];
    writeFileSync(join(cwd, '.env'), `PORT=${fromFile}\nDATA_DIR=./state\n`);
    const server = startServer({}, cwd);
    try {
      expect((await waitForHttp(`http://127.0.0.1:${fromFile}/health`, server)).status).toBe(200);
      expect(existsSync(join(cwd, 'state/gatehouse.sqlite'))).toBe(true);
    } finally {
      await server.stop();
    }
    const overridden = startServer({ PORT: fromEnv }, cwd);
    try {
      expect((await waitForHttp(`http://127.0.0.1:${fromEnv}/health`, overridden)).status).toBe(
        200,
      );
    } finally {
      await overridden.stop();
    }
  });

  it('npm run migration:run applies every migration through ormconfig.ts', () => {
    const file = join(cwd, 'migrated.sqlite');
    const run = spawnSync(
      process.execPath,
      [
        join(process.cwd(), 'node_modules/typeorm/cli.js'),
        'migration:run',
        '-d',
        join(process.cwd(), 'dist/ormconfig.js'),
      ],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${file}` },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    const db = new Database(file, { readonly: true });
    try {
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
          name: string;
        }[]
      ).map((r) => r.name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'users',
          'account_providers',
          'outstanding_tokens',
          'blacklisted_tokens',
          'token_keys',
          'migrations',
        ]),
      );
      expect(db.prepare('SELECT id, slug FROM account_providers').all()).toEqual([
        { id: 1, slug: 'platform' },
      ]);
    } finally {
      db.close();
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

  it('refuses JWT_AUTH_SAMESITE=None without JWT_AUTH_SECURE=true, naming both (browsers drop such cookies)', async () => {
    const server = startServer({ JWT_AUTH_COOKIE: 'jwt-auth', JWT_AUTH_SAMESITE: 'None' }, cwd);
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(
      /^gatehouse: JWT_AUTH_SAMESITE=None needs JWT_AUTH_SECURE=true/,
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
