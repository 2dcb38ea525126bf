import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan } from 'typeorm';
import { isDjangoEncoding } from '../accounts/password-hasher.service';
import { User } from '../accounts/user.entity';
import { TokenKey } from '../token-key/token-key.entity';
import { type LegacyDatabase, LegacyDatabaseError, quoteTable } from './legacy-database';

/** The auth_user columns written, as Django's AbstractUser names them. */
const AUTH_USER_COLUMNS = [
  'id',
  'password',
  'last_login',
  'is_superuser',
  'username',
  'first_name',
  'last_name',
  'email',
  'is_staff',
  'is_active',
  'date_joined',
] as const;

const UNUSABLE_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Django's UNUSABLE_PASSWORD_SUFFIX_LENGTH. */
const UNUSABLE_SUFFIX_LENGTH = 40;

export interface ExportSummary {
  total: number;
  created: number;
  updated: number;
  skipped: number;
  /** allauth `account_emailaddress` rows written (0 without allauth's table). */
  emailAddresses: number;
  /** Users whose hash is passlib's bare bcrypt, which only Django's BCryptPasswordHasher verifies. */
  bcryptUsers: number;
  /** DRF Token keys Gatehouse holds, none of which can be written back (only their SHA-256 is kept). */
  tokenKeysNotExported: number;
  /** Why the target's id sequence could not be moved past the exported ids, if it could not. */
  sequenceProblem?: string;
}

export interface ExportOptions {
  table?: string;
  batchSize?: number;
  onProgress?(done: number, total: number): void;
  onSkip?(userId: number, reason: string): void;
}

/**
 * A stored hash as Django's check_password reads it: Django's own encodings as
 * they are; Gatehouse's and passlib's argon2 PHC string behind Django's
 * algorithm name (`argon2$argon2id$…`, what Django's Argon2PasswordHasher
 * writes); passlib's bare bcrypt as Django's BCryptPasswordHasher writes it
 * (`bcrypt$$2b$…`); no password as Django's unusable one (`!` and 40 characters).
 */
export function djangoPassword(encoded: string): string {
  if (isDjangoEncoding(encoded)) return encoded;
  if (/^\$argon2(id|i|d)\$/.test(encoded)) return `argon2${encoded}`;
  if (/^\$2[abxy]\$/.test(encoded)) return `bcrypt$${encoded}`;
  let suffix = '';
  for (let i = 0; i < UNUSABLE_SUFFIX_LENGTH; i++)
    suffix += UNUSABLE_ALPHABET[randomInt(UNUSABLE_ALPHABET.length)];
  return `!${suffix}`;
}

/**
 * `export:django`: writes Gatehouse's users back into a Django database (one
 * Django's `migrate` made) — the way back, or a Django that keeps running beside
 * Gatehouse. `auth_user` rows keep their ids (an existing row of the id is
 * updated), passwords in an encoding Django verifies; allauth's primary address
 * with its verified flag when allauth's table is there. DRF Token keys and
 * SimpleJWT records are not written: Gatehouse keeps only digests of them.
 */
@Injectable()
export class DjangoExportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async exportAll(target: LegacyDatabase, options: ExportOptions = {}): Promise<ExportSummary> {
    const table = options.table ?? 'auth_user';
    const quoted = quoteTable(table);
    const columns = await target.columns(table);
    if (columns.size === 0) {
      throw new LegacyDatabaseError(
        `no user table "${table}" in the Django database (run Django's migrate on it first)`,
      );
    }
    const missing = AUTH_USER_COLUMNS.filter((c) => !columns.has(c));
    if (missing.length > 0) {
      throw new LegacyDatabaseError(`the user table "${table}" has no "${missing[0]}" column`);
    }
    const emailColumns = await target.columns('account_emailaddress');
    const hasEmailAddresses = ['email', 'verified', 'primary', 'user_id'].every((c) =>
      emailColumns.has(c),
    );

    const users = this.dataSource.getRepository(User);
    const total = await users.count();
    const summary: ExportSummary = {
      total,
      created: 0,
      updated: 0,
      skipped: 0,
      emailAddresses: 0,
      bcryptUsers: 0,
      tokenKeysNotExported: await this.dataSource.getRepository(TokenKey).count(),
    };
    const size = options.batchSize ?? 1000;
    let done = 0;
    for (let after = 0; ;) {
      const batch = await users.find({
        where: { id: MoreThan(after) },
        order: { id: 'ASC' },
        take: size,
      });
      if (batch.length === 0) break;
      const existing = new Set(
        (
          await target.query(
            `SELECT "id" FROM ${quoted} WHERE "id" IN (${batch.map(() => '?').join(', ')})`,
            batch.map((u) => u.id),
          )
        ).map((row) => Number(row.id)),
      );
      await target.execute('BEGIN');
      try {
        for (const user of batch) {
          await target.execute('SAVEPOINT gatehouse_row');
          try {
            await this.writeUser(target, quoted, user);
            if (hasEmailAddresses) {
              await writeEmailAddress(target, user);
              summary.emailAddresses++;
            }
            await target.execute('RELEASE SAVEPOINT gatehouse_row');
            summary[existing.has(user.id) ? 'updated' : 'created']++;
            if (/^\$2[abxy]\$/.test(user.password)) summary.bcryptUsers++;
          } catch (error) {
            if (!(error instanceof LegacyDatabaseError)) throw error;
            await target.execute('ROLLBACK TO SAVEPOINT gatehouse_row');
            await target.execute('RELEASE SAVEPOINT gatehouse_row');
            summary.skipped++;
            options.onSkip?.(user.id, error.message);
          }
        }
        await target.execute('COMMIT');
      } catch (error) {
        await target.execute('ROLLBACK').catch(() => undefined);
        throw error;
      }
      done += batch.length;
      options.onProgress?.(done, Math.max(total, done));
      after = batch[batch.length - 1].id;
    }
    if (target.kind === 'postgres') summary.sequenceProblem = await moveSequence(target, table);
    return summary;
  }

  private async writeUser(target: LegacyDatabase, quoted: string, user: User): Promise<void> {
    const values: Record<(typeof AUTH_USER_COLUMNS)[number], unknown> = {
      id: user.id,
      password: djangoPassword(user.password),
      last_login: user.lastLogin,
      is_superuser: user.isSuperuser,
      username: user.username,
      first_name: user.firstName,
      last_name: user.lastName,
      email: user.email,
      is_staff: user.isStaff,
      // Django has no "blocked": a blocked user must not log in there either.
      is_active: user.isActive && !user.isBlocked,
      date_joined: user.dateJoined,
    };
    const names = AUTH_USER_COLUMNS.map((c) => `"${c}"`);
    await target.execute(
      `INSERT INTO ${quoted} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})
       ON CONFLICT ("id") DO UPDATE SET ${names
         .filter((n) => n !== '"id"')
         .map((n) => `${n} = excluded.${n}`)
         .join(', ')}`,
      AUTH_USER_COLUMNS.map((c) => values[c]),
    );
  }
}

/** allauth's EmailAddress: the user's address, primary, with Gatehouse's verified flag. */
async function writeEmailAddress(target: LegacyDatabase, user: User): Promise<void> {
  await target.execute(
    `UPDATE "account_emailaddress" SET "primary" = ? WHERE "user_id" = ? AND lower("email") <> lower(?)`,
    [false, user.id, user.email],
  );
  const changed = await target.execute(
    `UPDATE "account_emailaddress" SET "email" = ?, "verified" = ?, "primary" = ?
      WHERE "user_id" = ? AND lower("email") = lower(?)`,
    [user.email, user.isVerified, true, user.id, user.email],
  );
  if (changed === 0) {
    await target.execute(
      `INSERT INTO "account_emailaddress" ("email", "verified", "primary", "user_id") VALUES (?, ?, ?, ?)`,
      [user.email, user.isVerified, true, user.id],
    );
  }
}

/**
 * Explicit ids do not move a PostgreSQL sequence: Django's next sign-up must not
 * take an exported id. A sequence capped below them (the coexistence runbook's
 * MAXVALUE) is left as it is, and said.
 */
async function moveSequence(target: LegacyDatabase, table: string): Promise<string | undefined> {
  try {
    const [row] = await target.query(`SELECT pg_get_serial_sequence(?, 'id') AS name`, [table]);
    if (!row?.name) return undefined;
    // The name pg_get_serial_sequence gives is already a quoted identifier.
    const sequence = String(row.name);
    await target.query(
      `SELECT setval(?::regclass, GREATEST((SELECT MAX("id") FROM ${quoteTable(table)}),
         (SELECT "last_value" FROM ${sequence}), 1))`,
      [sequence],
    );
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
