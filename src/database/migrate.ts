import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/** The advisory-lock key every Gatehouse instance takes around its migrations ("gatehous"). */
export const MIGRATION_LOCK_KEY = '7449311745104951155';

/**
 * Runs the pending migrations of a PostgreSQL database while holding an advisory
 * lock, so instances started at once on a fresh database migrate it once: the
 * first runs them, the others wait (saying so in the log), then find nothing left
 * to run. Advisory locks are per database: instances of other databases on the
 * same server never wait for each other. A dedicated, short-lived connection
 * pool is used, free of the request query and statement timeouts.
 */
export async function migrateUnderLock(options: PostgresConnectionOptions): Promise<void> {
  const extra: Record<string, unknown> = { ...(options.extra as object), max: 2 };
  delete extra.query_timeout;
  delete extra.statement_timeout;
  delete extra.idle_in_transaction_session_timeout;
  // Migrations are plain SQL: no entity is mapped here (a host's entity may point at one
  // of Gatehouse's, which only the Nest data source loads, from the feature modules).
  const dataSource = new DataSource({ ...options, entities: [], migrationsRun: false, extra });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    const [{ locked }] = (await lock.query('SELECT pg_try_advisory_lock($1) AS locked', [
      MIGRATION_LOCK_KEY,
    ])) as { locked: boolean }[];
    if (!locked) {
      // Unbounded on purpose (serving an unmigrated schema is worse), but never silent:
      // nothing else is logged before the service listens.
      new Logger('Database').log(
        'another instance holds the migration lock on this database; waiting for it',
      );
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    try {
      const ran = await dataSource.runMigrations({ transaction: 'each' });
      if (ran.length > 0) {
        new Logger('Database').log(
          `ran ${ran.length} migration(s): ${ran.map((m) => m.name).join(', ')}`,
        );
      }
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
