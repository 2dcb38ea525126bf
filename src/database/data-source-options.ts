import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions, MixedList } from 'typeorm';
import type { GatehouseConfig } from '../config/gatehouse-config';
import { migrations } from './migrations';
import { DroppingClient } from './pg-client';

/** How long a statement waits for a lock another process holds on the SQLite file. */
export const SQLITE_BUSY_TIMEOUT_MS = 500;

/** The tables the data source maps and migrates: the caller's (database/ knows no feature's). */
export interface DatabaseModuleOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function>;
}

/**
 * TypeORM options for the configured database: better-sqlite3 by default,
 * pg for postgres:// URLs. Migrations run at boot; `synchronize` stays off.
 */
export function dataSourceOptions(
  config: Pick<GatehouseConfig, 'database'>,
  extra: DatabaseModuleOptions = {},
): DataSourceOptions {
  const common = {
    entities: asArray(extra.entities),
    migrations: [...migrations, ...asArray(extra.migrations)],
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: config.database.logging,
  };
  if (config.database.type === 'postgres') {
    const { url, connectTimeout, queryTimeout, poolSize } = config.database;
    return {
      ...common,
      type: 'postgres',
      url,
      // pg's pool: a database that is away fails a request fast (a 503), never hangs it.
      // A connection waits at most connectTimeout; a query's answer at most queryTimeout
      // (then the client drops its connection: DroppingClient). The server gives up on a
      // statement at the same bound and ends a transaction left idle by a client that went
      // away (a cut network), so no lock it held outlives the outage by more than that.
      extra: {
        Client: DroppingClient,
        max: poolSize,
        connectionTimeoutMillis: connectTimeout,
        query_timeout: queryTimeout,
        statement_timeout: queryTimeout,
        idle_in_transaction_session_timeout: queryTimeout,
        // Idle connections a cut network left behind are found by the OS, not by a request.
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
      },
    };
  }
  const path = config.database.path;
  const synchronous = config.database.synchronous === 'full' ? 'FULL' : 'NORMAL';
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: path,
    // WAL lets readers go on while a login writes. A lock held by another process (a
    // CLI write, a backup) is waited for, but briefly: better-sqlite3 waits on the event
    // loop's thread, so every request in flight waits with it; past the wait the request
    // answers 503 (SQLITE_BUSY) and the next one tries again.
    enableWAL: path !== ':memory:',
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    // SQLite's default (FULL) fsyncs every commit: ~4 ms of blocked event loop per
    // login's writes on this machine, against ~20 µs under NORMAL (see README, Benchmark).
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma(`synchronous = ${synchronous}`);
    },
  };
}

function asArray<T>(list: MixedList<T> | undefined): T[] {
  if (!list) return [];
  return Array.isArray(list) ? list : Object.values(list as Record<string, T>);
}
