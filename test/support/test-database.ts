import {
  createDatabase,
  postgresUrlFromEnvironment,
  type ThrowawayDatabase,
  withPostgresClient,
} from '../../src/testing';

/** A database for one spec file alone: the test kit's throw-away database. */
export type TestDatabase = ThrowawayDatabase;

/** The PostgreSQL server to test against, when DATABASE_URL names one. */
export const postgresUrl = postgresUrlFromEnvironment;

/**
 * A fresh, empty database for one spec file: a temporary SQLite file, or — when
 * DATABASE_URL points at PostgreSQL (or `server` names one) — a new database on that
 * server, dropped afterwards. (A whole database, not the kit's default schema: the
 * several-instance specs count on PostgreSQL's per-database advisory locks.)
 */
export function createTestDatabase(server = postgresUrl()): Promise<TestDatabase> {
  return createDatabase({ postgres: server ?? false, isolation: 'database' });
}

/** Runs `work` on a connection of its own to `url`, closed afterwards. */
export const withClient = withPostgresClient;
