import { Client } from 'pg';
import { MIGRATION_LOCK_KEY } from '../src/database/migrate';
import { migrations } from '../src/database/migrations';
import { freePort, type ServerProcess, startServer, waitForHttp } from './support/processes';
import { postgresServer } from './support/services';
import { createTestDatabase } from './support/test-database';
import { testEnvironment } from './support/test-app';

const server = postgresServer();

(server ? describe : describe.skip)(
  'instances booting at once on a fresh PostgreSQL database',
  () => {
    it('migrate it once, and all become healthy', async () => {
      const database = await createTestDatabase(server);
      const ports = await Promise.all([freePort(), freePort(), freePort()]);
      const instances: ServerProcess[] = ports.map((port) =>
        startServer(
          testEnvironment(database.url, {
            HOST: '127.0.0.1',
            PORT: String(port),
            LOG_LEVEL: 'info',
          }),
        ),
      );
      try {
        for (const [i, port] of ports.entries()) {
          let health = await waitForHttp(`http://127.0.0.1:${port}/health`, instances[i], 60_000);
          // Listening may come a moment before the first health check passes.
          for (let tries = 0; health.status !== 200 && tries < 50; tries++) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            health = await fetch(`http://127.0.0.1:${port}/health`);
          }
          expect(health.status).toBe(200);
        }
        const migrating = instances.filter((instance) =>
          /ran \d+ migration\(s\)/.test(instance.output()),
        );
        expect(migrating).toHaveLength(1);

        const client = new Client({ connectionString: database.url });
        await client.connect();
        try {
          const { rows } = await client.query<{ name: string }>(
            'SELECT name FROM migrations ORDER BY id',
          );
          expect(rows.map((row) => row.name)).toEqual(migrations.map((m) => m.name));
        } finally {
          await client.end();
        }
      } finally {
        await Promise.all(instances.map((instance) => instance.stop()));
        await database.drop();
      }
    }, 120_000);

    it('an instance waiting for the migration lock says so, and starts once it is released', async () => {
      const database = await createTestDatabase(server);
      const holder = new Client({ connectionString: database.url });
      await holder.connect();
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const port = await freePort();
      const instance = startServer(
        testEnvironment(database.url, { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info' }),
      );
      try {
        const deadline = Date.now() + 60_000;
        while (!instance.output().includes('holds the migration lock')) {
          if (instance.child.exitCode !== null || Date.now() > deadline) {
            throw new Error(`no word of the wait:\n${instance.output()}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(instance.output()).not.toMatch(/ran \d+ migration/);
        await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        await waitForHttp(`http://127.0.0.1:${port}/health`, instance, 60_000);
        expect(instance.output()).toMatch(/ran \d+ migration/);
      } finally {
        await holder.end();
        await instance.stop();
        await database.drop();
      }
    }, 120_000);
  },
);
