import { randomUUID } from 'node:crypto';

/** What the backfill runs its SQL on: a migration's QueryRunner or an import's EntityManager. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
  readonly connection: { readonly options: { readonly type: string } };
}

/** Credential rows a session is made for, by table (docs/sessions.md). */
const SOURCES = [
  {
    table: 'outstanding_tokens',
    kind: 'jwt',
    select:
      `SELECT "id", "user_id", "created_at", NULL AS "last_used", "expires_at" ` +
      `FROM "outstanding_tokens" WHERE "session_id" IS NULL AND "user_id" IS NOT NULL ` +
      `AND NOT EXISTS (SELECT 1 FROM "blacklisted_tokens" b WHERE b."token_id" = "outstanding_tokens"."id")`,
  },
  {
    table: 'token_keys',
    kind: 'token',
    select:
      `SELECT "id", "user_id", "created" AS "created_at", "last_used", NULL AS "expires_at" ` +
      `FROM "token_keys" WHERE "session_id" IS NULL`,
  },
  {
    table: 'dashboard_sessions',
    kind: 'dashboard',
    select:
      `SELECT "id", "user_id", "created_at", NULL AS "last_used", "expires_at" ` +
      `FROM "dashboard_sessions" WHERE "session_id" IS NULL AND "kind" = 'session'`,
  },
] as const;

interface CredentialRow {
  id: number;
  user_id: number;
  created_at: unknown;
  last_used: unknown;
  expires_at: unknown;
}

/**
 * Makes a session (auth_sessions) for every live credential that has none: the
 * refresh tokens, Token keys and dashboard sessions of a database from before
 * sessions (the migration), or just imported from Django (the import and trickle
 * mode). Each credential is one session: an imported refresh token's family is
 * unknown. Returns how many sessions were made.
 */
export async function backfillSessions(runner: SqlRunner, userIds?: number[]): Promise<number> {
  if (userIds?.length === 0) return 0;
  const postgres = runner.connection.options.type === 'postgres';
  const p = (n: number) => (postgres ? `$${n}` : '?');
  const now = Date.now();
  let made = 0;
  // Integers only (ours), so written into the statement as they are.
  const only =
    userIds === undefined
      ? ''
      : ` AND "user_id" IN (${userIds.map((id) => Math.trunc(id)).join(', ')})`;
  for (const source of SOURCES) {
    const rows = (await runner.query(source.select + only)) as CredentialRow[];
    for (const row of rows) {
      // An expired credential is no session; `flushexpiredtokens` will take it.
      if (row.expires_at !== null && instant(row.expires_at) <= now) continue;
      const id = randomUUID();
      await runner.query(
        `INSERT INTO "auth_sessions" ("id", "user_id", "kind", "surface", "created_at", "last_used_at") ` +
          `VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})`,
        [id, row.user_id, source.kind, 'imported', row.created_at, row.last_used ?? null],
      );
      await runner.query(
        `UPDATE "${source.table}" SET "session_id" = ${p(1)} WHERE "id" = ${p(2)}`,
        [id, row.id],
      );
      made++;
    }
  }
  return made;
}

/** A stored instant as ms: PostgreSQL answers Dates, SQLite TypeORM's UTC `YYYY-MM-DD HH:MM:SS.SSS`. */
function instant(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  return new Date(
    /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`,
  ).getTime();
}
