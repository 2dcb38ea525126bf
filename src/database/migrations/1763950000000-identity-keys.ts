import { Logger } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { identityKey } from '../../accounts/identity-key';

/** Rows per UPDATE while filling the keys (3 parameters each). */
const FILL_BATCH = 1000;

/**
 * The users' `email_key` and `username_key` (accounts/identity-key.ts), unique, so
 * look-alike addresses and usernames are one identity on SQLite and PostgreSQL
 * alike. Existing rows are filled in id order; where two rows already are
 * look-alikes (possible before: Django's usernames are case-sensitive, SQLite's
 * lower() knows only ASCII), the older keeps the key and the newer gets none — it
 * keeps working, and no new look-alike of either can be written.
 */
export class IdentityKeys1763950000000 implements MigrationInterface {
  name = 'IdentityKeys1763950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: TypeORM's SQLite addColumn rebuilds the table.
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "email_key" varchar(64) NULL`);
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "username_key" varchar(64) NULL`);

    const rows = (await queryRunner.query(
      `SELECT "id", "email", "username" FROM "users" ORDER BY "id"`,
    )) as { id: number; email: string; username: string }[];
    const taken = { email: new Set<string>(), username: new Set<string>() };
    const twins: number[] = [];
    const claim = (kind: keyof typeof taken, id: number, text: string) => {
      const key = identityKey(text);
      if (taken[kind].has(key)) {
        twins.push(id);
        return null;
      }
      taken[kind].add(key);
      return key;
    };
    const keyed = rows.map((row) => [
      row.id,
      claim('email', row.id, row.email),
      claim('username', row.id, row.username),
    ]);
    const postgres = queryRunner.connection.options.type === 'postgres';
    for (let start = 0; start < keyed.length; start += FILL_BATCH) {
      const chunk = keyed.slice(start, start + FILL_BATCH);
      const tuples = chunk.map((_, i) =>
        postgres
          ? `($${3 * i + 1}::integer, $${3 * i + 2}::varchar, $${3 * i + 3}::varchar)`
          : '(?, ?, ?)',
      );
      await queryRunner.query(
        `WITH "keys" ("id", "email_key", "username_key") AS (VALUES ${tuples.join(', ')}) ` +
          `UPDATE "users" SET "email_key" = "keys"."email_key", "username_key" = "keys"."username_key" ` +
          `FROM "keys" WHERE "users"."id" = "keys"."id"`,
        chunk.flat(),
      );
    }
    if (twins.length > 0) {
      new Logger('Database').warn(
        `users ${[...new Set(twins)].join(', ')} share an e-mail or username with an older user ` +
          'but for letter case or Unicode look-alikes; they keep working, without an identity key',
      );
    }
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_users_email_key" ON "users" ("email_key")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_users_username_key" ON "users" ("username_key")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_users_username_key"`);
    await queryRunner.query(`DROP INDEX "IDX_users_email_key"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "username_key"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_key"`);
  }
}
