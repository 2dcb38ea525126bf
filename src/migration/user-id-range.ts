import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { GatehouseConfig } from '../config/gatehouse-config';

/**
 * Without USER_ID_START, how far above the highest imported id Gatehouse's own
 * ids start: the legacy service would have to sign a million users up while
 * both run to reach Gatehouse's range, and a million ids is nothing of the
 * integer column's two billion.
 */
export const DEFAULT_USER_ID_GAP = 1_000_000;
/** PostgreSQL's `integer`: the users table's id column. */
const MAX_ID = 2_147_483_647;

/**
 * Keeps Gatehouse's new user ids out of the legacy service's way while both
 * hand ids out (docs/migrating.md, "coexistence"): imports keep Django's ids,
 * so after each one the users id sequence is moved — never back — to above the
 * range the legacy side uses. With USER_ID_START=N Gatehouse's ids are ≥ N from
 * the first boot, and the legacy database's sequence is capped below N; without
 * it they start DEFAULT_USER_ID_GAP above the highest id an import wrote.
 */
@Injectable()
export class UserIdRange implements OnApplicationBootstrap {
  private readonly logger = new Logger('UserIdRange');
  private readonly start?: number;

  constructor(
    private readonly config: GatehouseConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.start = config.legacy?.userIdStart;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.start !== undefined) {
      await this.reserve(this.dataSource.manager, []);
    } else if (this.config.legacy?.django) {
      this.logger.warn(
        'trickle mode from Django without USER_ID_START: until the first import, Gatehouse and ' +
          'Django may hand out the same new id (the later import then skips that row); see docs/migrating.md',
      );
    }
  }

  /** The lowest id Gatehouse hands out next, after an import wrote `importedIds`. */
  floor(importedIds: readonly number[]): number {
    const highest = importedIds.reduce((a, b) => Math.max(a, b), 0);
    if (this.start !== undefined) return Math.max(this.start, highest + 1);
    if (highest === 0) return 0;
    return highest + DEFAULT_USER_ID_GAP <= MAX_ID ? highest + DEFAULT_USER_ID_GAP : highest + 1;
  }

  /**
   * Moves the users id sequence so that the next id Gatehouse assigns is at least
   * `floor(importedIds)` and above every stored id; never lowers it. Runs in the
   * caller's transaction (an import's), or alone at boot.
   */
  async reserve(manager: EntityManager, importedIds: readonly number[]): Promise<void> {
    const next = this.floor(importedIds);
    if (next <= 0) return;
    if (manager.connection.options.type === 'postgres') {
      const [{ name }] = await manager.query<{ name: string }[]>(
        `SELECT pg_get_serial_sequence('users', 'id') AS name`,
      );
      // The name pg_get_serial_sequence gives is already a quoted identifier.
      await manager.query(
        `SELECT setval($1::regclass, GREATEST($2::bigint, (SELECT "last_value" FROM ${name}),
           (SELECT COALESCE(MAX("id"), 0) FROM "users")))`,
        [name, next - 1],
      );
      return;
    }
    // SQLite's AUTOINCREMENT takes the next id above both sqlite_sequence's and the largest stored one.
    await manager.query(
      `UPDATE "sqlite_sequence" SET "seq" = MAX("seq", ?) WHERE "name" = 'users'`,
      [next - 1],
    );
    const [{ n }] = await manager.query<{ n: number }[]>(
      `SELECT COUNT(*) AS n FROM "sqlite_sequence" WHERE "name" = 'users'`,
    );
    if (Number(n) === 0) {
      await manager.query(`INSERT INTO "sqlite_sequence" ("name", "seq") VALUES ('users', ?)`, [
        next - 1,
      ]);
    }
  }
}
