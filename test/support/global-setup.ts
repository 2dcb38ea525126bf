import { Client } from 'pg';
import { postgresUrl } from './test-database';

/**
 * Says loudly which database the e2e specs run on, and fails fast when the
 * PostgreSQL server DATABASE_URL names is not answering.
 */
export default async function globalSetup(): Promise<void> {
  const url = postgresUrl();
  if (!url) {
    const note =
      process.env.CI === 'true'
        ? ''
        : ' — PostgreSQL is NOT tested in this run (set DATABASE_URL=postgres://… to test it)';
    process.stderr.write(`\n[gatehouse e2e] database: SQLite (a temporary file per spec)${note}\n`);
    return;
  }
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `[gatehouse e2e] DATABASE_URL names a PostgreSQL server that does not answer: ${(error as Error).message}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  process.stderr.write('\n[gatehouse e2e] database: PostgreSQL (a fresh database per spec)\n');
}
