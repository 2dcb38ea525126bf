import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Client } from 'pg';

export interface TestDatabase {
  /** A DATABASE_URL for this spec file alone. */
  url: string;
  kind: 'sqlite' | 'postgres';
  /** Runs one read on a connection of the spec's own, beside the app's (`$1`… parameters). */
  query<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** The PostgreSQL server to test against, when DATABASE_URL names one. */
export function postgresUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

/**
 * A fresh, empty database for one spec file: a temporary SQLite file, or — when
 * DATABASE_URL points at PostgreSQL (or `server` names one) — a new database on that
 * server, dropped afterwards.
 */
export async function createTestDatabase(server = postgresUrl()): Promise<TestDatabase> {
  if (!server) {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
    const path = join(dir, 'test.sqlite');
    return {
      url: `sqlite:${path}`,
      kind: 'sqlite',
      query: <T>(sql: string, parameters: unknown[] = []) => {
        // Read-only beside the app's connection: WAL lets it read whatever the app holds.
        const db = new Sqlite(path, { readonly: true, fileMustExist: true });
        try {
          return Promise.resolve(db.prepare(sql.replace(/\$\d+/g, '?')).all(...parameters) as T[]);
        } finally {
          db.close();
        }
      },
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const name = `gatehouse_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(server, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgres',
    query: <T>(sql: string, parameters: unknown[] = []) =>
      withClient(
        url.toString(),
        async (client) => (await client.query(sql, parameters)).rows as T[],
      ),
    drop: async () => {
      await withClient(server, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

/** Runs `work` on a connection of its own to `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
