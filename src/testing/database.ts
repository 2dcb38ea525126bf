import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Client } from 'pg';

/** A database made for one test run, and gone after `drop()`. */
export interface ThrowawayDatabase {
  /** The DATABASE_URL the app runs on. */
  url: string;
  kind: 'sqlite' | 'postgres';
  /** PostgreSQL in schema mode: the schema the app's tables are in. */
  schema?: string;
  /** Runs one read on a connection of its own, beside the app's (`$1`… parameters). */
  query<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export interface ThrowawayDatabaseOptions {
  /**
   * A PostgreSQL server (`postgres://user@host:5432/db`) to make the database on.
   * Absent: DATABASE_URL when it names PostgreSQL, else a SQLite file in a temp dir.
   * `false`: SQLite whatever DATABASE_URL says.
   */
  postgres?: string | false;
  /**
   * On PostgreSQL: `schema` (default) makes a fresh schema in the given database and
   * points the app's `search_path` at it, needing no CREATEDB right; `database`
   * makes a whole database on the server (dropped afterwards).
   */
  isolation?: 'schema' | 'database';
}

/** DATABASE_URL, when it names a PostgreSQL server. */
export function postgresUrlFromEnvironment(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

/**
 * A fresh, empty database: a SQLite file in a temporary directory, or on
 * PostgreSQL a new schema (or database) with a random name.
 */
export async function createDatabase(
  options: ThrowawayDatabaseOptions = {},
): Promise<ThrowawayDatabase> {
  const server =
    options.postgres === false ? undefined : (options.postgres ?? postgresUrlFromEnvironment());
  if (!server) return sqliteDatabase();
  const name = `gatehouse_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return options.isolation === 'database'
    ? postgresDatabase(server, name)
    : postgresSchema(server, name);
}

function sqliteDatabase(): ThrowawayDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const path = join(dir, 'test.sqlite');
  return {
    url: `sqlite:${path}`,
    kind: 'sqlite',
    query: <T>(sql: string, parameters: unknown[] = []) => {
      // Read-only beside the app's connection: WAL lets it read whatever the app committed.
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

async function postgresSchema(server: string, schema: string): Promise<ThrowawayDatabase> {
  await withPostgresClient(server, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  const url = new URL(server);
  // libpq's startup option: every connection of the app's pool starts in the schema.
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    kind: 'postgres',
    schema,
    query: (sql, parameters) => queryOn(url.toString(), sql, parameters),
    drop: async () => {
      await withPostgresClient(server, (client) =>
        client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
      );
    },
  };
}

async function postgresDatabase(server: string, name: string): Promise<ThrowawayDatabase> {
  await withPostgresClient(server, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgres',
    query: (sql, parameters) => queryOn(url.toString(), sql, parameters),
    drop: async () => {
      await withPostgresClient(server, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

function queryOn<T>(url: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
  return withPostgresClient(
    url,
    async (client) => (await client.query(sql, parameters)).rows as T[],
  );
}

/** Runs `work` on a PostgreSQL connection of its own to `url`, closed afterwards. */
export async function withPostgresClient<T>(
  url: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
