import Database from 'better-sqlite3';
import type { Client } from 'pg';

/** A value a legacy row holds, as either driver returns it. */
export type LegacyValue = string | number | boolean | bigint | Date | Buffer | null;
export type LegacyRow = Record<string, LegacyValue>;

/** A legacy database could not be opened or queried (unreachable, no such file, no such table). */
export class LegacyDatabaseError extends Error {
  override name = 'LegacyDatabaseError';
}

/** Seconds to wait for a legacy PostgreSQL server: trickle lookups must never hang a request. */
const CONNECT_TIMEOUT_MS = 3_000;
const STATEMENT_TIMEOUT_MS = 10_000;

/**
 * The database a Python service left behind, opened read-only: SQLite with the
 * file opened `readonly`, PostgreSQL with every transaction read-only. Queries
 * are written with `?` placeholders and quoted identifiers, which both accept.
 */
export interface LegacyDatabase {
  readonly kind: 'sqlite' | 'postgres';
  query(sql: string, params?: readonly unknown[]): Promise<LegacyRow[]>;
  /** A statement that returns no rows (a write, BEGIN, SAVEPOINT…): how many rows it changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** The columns of a table (empty when it does not exist). */
  columns(table: string): Promise<Set<string>>;
  close(): Promise<void>;
}

/**
 * Opens a legacy database read-only, or, with `writable` (only `export:django`
 * writes, into a Django database it is pointed at), for writing.
 */
export async function openLegacyDatabase(
  url: string,
  { writable = false }: { writable?: boolean } = {},
): Promise<LegacyDatabase> {
  if (/^postgres(ql)?:\/\//.test(url)) return PostgresLegacyDatabase.open(url, writable);
  if (url.startsWith('sqlite:'))
    return SqliteLegacyDatabase.open(url.slice('sqlite:'.length), writable);
  throw new LegacyDatabaseError(
    'the legacy database URL must be sqlite:<path> or postgres://user:password@host:5432/database',
  );
}

/** A table name as a quoted identifier (`auth_user`, `"user"`, `schema.table`). */
export function quoteTable(table: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(table)) {
    throw new LegacyDatabaseError(`"${table}" is not a table name`);
  }
  return table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

class SqliteLegacyDatabase implements LegacyDatabase {
  readonly kind = 'sqlite';

  private constructor(private readonly db: Database.Database) {}

  static open(path: string, writable: boolean): SqliteLegacyDatabase {
    try {
      return new SqliteLegacyDatabase(
        new Database(path, { readonly: !writable, fileMustExist: true }),
      );
    } catch (error) {
      throw new LegacyDatabaseError(`cannot open ${path}: ${(error as Error).message}`);
    }
  }

  query(sql: string, params: readonly unknown[] = []): Promise<LegacyRow[]> {
    try {
      return Promise.resolve(this.db.prepare(sql).all(...sqliteValues(params)) as LegacyRow[]);
    } catch (error) {
      return Promise.reject(new LegacyDatabaseError((error as Error).message));
    }
  }

  execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    try {
      return Promise.resolve(this.db.prepare(sql).run(...sqliteValues(params)).changes);
    } catch (error) {
      return Promise.reject(new LegacyDatabaseError((error as Error).message));
    }
  }

  async columns(table: string): Promise<Set<string>> {
    const name = table.split('.').pop() as string;
    const rows = await this.query(`SELECT name FROM pragma_table_info(?)`, [name]);
    return new Set(rows.map((r) => String(r.name)));
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

class PostgresLegacyDatabase implements LegacyDatabase {
  readonly kind = 'postgres';

  private constructor(private readonly client: Client) {}

  static async open(url: string, writable: boolean): Promise<PostgresLegacyDatabase> {
    // Loaded here: a service that never reads a Django database does not hold pg.
    const { Client } = await import('pg');
    const client = new Client({
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      // Never written (but by export:django): the server itself refuses any write in this session.
      ...(writable ? {} : { options: '-c default_transaction_read_only=on' }),
    });
    // An error after connect (the server going away) must not crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new LegacyDatabaseError(`cannot connect: ${(error as Error).message}`);
    }
    return new PostgresLegacyDatabase(client);
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<LegacyRow[]> {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    try {
      return (await this.client.query(text, params as unknown[])).rows as LegacyRow[];
    } catch (error) {
      throw new LegacyDatabaseError((error as Error).message);
    }
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    try {
      return (await this.client.query(text, params as unknown[])).rowCount ?? 0;
    } catch (error) {
      throw new LegacyDatabaseError((error as Error).message);
    }
  }

  async columns(table: string): Promise<Set<string>> {
    const [schema, name] = table.includes('.') ? table.split('.') : [undefined, table];
    const rows = await this.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = ? AND ${
        schema ? 'table_schema = ?' : 'table_schema = ANY (current_schemas(false))'
      }`,
      schema ? [name, schema] : [name],
    );
    return new Set(rows.map((r) => String(r.column_name)));
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** SQLite takes no booleans or Dates: 1/0, and a Date as Django's SQLite backend writes it (UTC, no zone). */
function sqliteValues(params: readonly unknown[]): unknown[] {
  return params.map((p) =>
    typeof p === 'boolean'
      ? Number(p)
      : p instanceof Date
        ? p.toISOString().replace('T', ' ').replace('Z', '')
        : p,
  );
}
