import { Logger } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createHash } from 'node:crypto';

// A migration is frozen: it carries its own copy of accounts/identity-key.ts (as
// of the look-alike step), so a later change there cannot change what this one
// computes; a change of the keys' form takes a migration of its own that re-keys.

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * Cyrillic and Greek small letters that Unicode's confusables data (UTS #39) maps
 * to one Latin letter each and that render the same in common fonts: the skeleton
 * step, so `vіctim@` (Cyrillic і) is the identity `victim@` already holds.
 */
const LATIN_LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  ι: 'i',
  υ: 'u',
  χ: 'x',
  γ: 'y',
};
const LOOKALIKE = new RegExp(`[${Object.keys(LATIN_LOOKALIKES).join('')}]`, 'gu');

/**
 * The caseless form of an e-mail address or username: two identifiers are one
 * identity when these are equal. It is Unicode's identifier caseless match (UTR #36
 * §2.11.2, NFKC_Casefold), which Django's forms and allauth apply when they compare
 * usernames and addresses (`unicodedata.normalize("NFKC", s).casefold()`): the
 * Kelvin sign K is a K, fullwidth Ｇ a G, "Grace" is "grace", and invisible
 * (default-ignorable) characters count for nothing. JavaScript has no `casefold`;
 * upper- then lower-casing folds as fully (ß → ss), except the final sigma and
 * the capital ẞ, folded here by hand; it also takes the dotless ı for an i, which
 * casefold does not (stricter, on purpose). Last, letters of other scripts that look
 * like a Latin one take its place (LATIN_LOOKALIKES), so a look-alike in another
 * script is the same identity too — stricter than those libraries, which let
 * `vіctim@` beside `victim@`.
 */
function caselessForm(text: string): string {
  return text
    .normalize('NFKC')
    .replace(DEFAULT_IGNORABLE, '')
    .toUpperCase()
    .toLowerCase()
    .replace(/ς/g, 'σ')
    .replace(/ß/g, 'ss')
    .normalize('NFKC')
    .replace(LOOKALIKE, (letter) => LATIN_LOOKALIKES[letter]);
}

/**
 * What the users table's unique `email_key` and `username_key` columns hold: the
 * SHA-256 (hex) of the caseless form. A digest keeps the column and its index one
 * width on SQLite and PostgreSQL whatever NFKC expands a 254-character address to.
 */
function identityKey(text: string): string {
  return createHash('sha256').update(caselessForm(text)).digest('hex');
}

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
