import { KYC_STATUSES, type KycStatus } from '../accounts/user.entity';
import type { ImportedUser } from '../accounts/users.service';
import { canonicalUuid } from '../accounts/fastapi-users.service';
import {
  type LegacyDatabase,
  LegacyDatabaseError,
  type LegacyRow,
  type LegacyValue,
  quoteTable,
} from './legacy-database';
import type { LegacyIdentity, LegacyRead, LegacyRefreshToken, SkippedRow } from './legacy-identity';
import type { LegacySourceName } from './legacy-import.entity';

/** What a trickle lookup missed on, to be found in the legacy database. */
export type LegacyLookup =
  | { email: string }
  | { username: string }
  | { id: number }
  | { uuid: string }
  | { tokenKey: string };

/** A legacy user table read in pk order, a batch at a time (bounded memory), or one row at a time. */
export interface LegacySource {
  readonly name: LegacySourceName;
  readonly database: LegacyDatabase;
  count(): Promise<number>;
  /** The batch after `after` (a pk) in pk order; the cursor of the next batch is its last `cursor`. */
  batch(
    after: string | null,
    size: number,
  ): Promise<{ reads: LegacyRead[]; cursor: string | null }>;
  /** The identity a lookup names, or null; undefined when this source cannot look that up. */
  find(lookup: LegacyLookup): Promise<LegacyRead | null | undefined>;
}

/** Django's username rule: letters, digits and @/./+/-/_ only, 150 at most. */
const USERNAME = /^[\p{L}\p{N}@.+_-]{1,150}$/u;
/** What Django's EmailValidator lets through, roughly: one @, no spaces, a dotted or local domain. */
const EMAIL = /^[^\s@"]+@[^\s@]+$/;
const MAX_PASSWORD_LENGTH = 255;

/** Gatehouse's columns a custom Django user model may also have, taken when present. */
const OPTIONAL_DJANGO_COLUMNS = [
  'country_code',
  'kyc_status',
  'status',
  'has_deposited',
  'public_key',
  'signer_key',
  'account_provider_id',
  'subscribe',
  'is_blocked',
  'is_verified',
] as const;

/** Decides whether a stored hash can be kept (see PasswordHasherService.canStore). */
export type HashCheck = (encoded: string) => boolean;

/**
 * Django as djoser, dj-rest-auth, SimpleJWT and allauth leave it: the user table
 * (`auth_user` or a custom model's), `authtoken_token`, SimpleJWT's token_blacklist
 * tables and allauth's `account_emailaddress`, each used when present.
 */
export class DjangoSource implements LegacySource {
  readonly name = 'django';

  private constructor(
    readonly database: LegacyDatabase,
    private readonly table: string,
    private readonly columns: Set<string>,
    private readonly hasTokens: boolean,
    private readonly hasBlacklist: boolean,
    private readonly hasEmailAddresses: boolean,
    private readonly canStore: HashCheck,
  ) {}

  static async open(
    database: LegacyDatabase,
    table: string,
    canStore: HashCheck,
  ): Promise<DjangoSource> {
    const columns = await userTableColumns(database, table, ['id', 'password', 'email']);
    const has = async (t: string, c: string) => (await database.columns(t)).has(c);
    return new DjangoSource(
      database,
      table,
      columns,
      await has('authtoken_token', 'key'),
      (await has('token_blacklist_outstandingtoken', 'jti')) &&
        (await has('token_blacklist_blacklistedtoken', 'token_id')),
      await has('account_emailaddress', 'verified'),
      canStore,
    );
  }

  async count(): Promise<number> {
    const [row] = await this.database.query(`SELECT COUNT(*) AS n FROM ${quoteTable(this.table)}`);
    return Number(row.n);
  }

  async batch(after: string | null, size: number) {
    const rows = await this.users(
      after === null ? '' : 'WHERE "id" > ?',
      after === null ? [] : [Number(after)],
      size,
    );
    return {
      reads: await this.withRelations(rows),
      cursor: rows.length ? String(rows[rows.length - 1].id) : null,
    };
  }

  async find(lookup: LegacyLookup): Promise<LegacyRead | null | undefined> {
    let rows: LegacyRow[];
    if ('email' in lookup) {
      rows = await this.users('WHERE lower("email") = lower(?)', [lookup.email.trim()], 2);
      if (rows.length > 1) return null; // ambiguous at the source: the bulk import reports it
    } else if ('username' in lookup) {
      if (!this.columns.has('username')) return undefined;
      rows = await this.users('WHERE "username" = ?', [lookup.username], 1);
    } else if ('id' in lookup) {
      rows = await this.users('WHERE "id" = ?', [lookup.id], 1);
    } else if ('tokenKey' in lookup) {
      if (!this.hasTokens) return undefined;
      rows = await this.users(
        'WHERE "id" = (SELECT "user_id" FROM "authtoken_token" WHERE "key" = ?)',
        [lookup.tokenKey],
        1,
      );
    } else {
      return undefined;
    }
    const [read] = await this.withRelations(rows);
    return read ?? null;
  }

  private users(where: string, params: unknown[], limit: number): Promise<LegacyRow[]> {
    return this.database.query(
      `SELECT * FROM ${quoteTable(this.table)} ${where} ORDER BY "id" LIMIT ${Number(limit)}`,
      params,
    );
  }

  private async withRelations(rows: LegacyRow[]): Promise<LegacyRead[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => Number(r.id));
    const list = ids.map(() => '?').join(', ');
    const keys = this.hasTokens
      ? await this.database.query(
          `SELECT "key", "created", "user_id" FROM "authtoken_token" WHERE "user_id" IN (${list})`,
          ids,
        )
      : [];
    const refresh = this.hasBlacklist
      ? await this.database.query(
          `SELECT o."jti", o."token", o."created_at", o."expires_at", o."user_id", b."blacklisted_at"
             FROM "token_blacklist_outstandingtoken" o
             LEFT JOIN "token_blacklist_blacklistedtoken" b ON b."token_id" = o."id"
            WHERE o."user_id" IN (${list}) AND o."expires_at" > ?`,
          [...ids, this.database.kind === 'sqlite' ? djangoSqliteTime(new Date()) : new Date()],
        )
      : [];
    const verified = this.hasEmailAddresses
      ? await this.database.query(
          `SELECT "user_id", "email" FROM "account_emailaddress"
            WHERE "verified" = ? AND "user_id" IN (${list})`,
          [true, ...ids],
        )
      : [];
    return rows.map((row) => {
      const id = Number(row.id);
      const mine = (r: LegacyRow) => Number(r.user_id) === id;
      return this.identity(
        row,
        keys.filter(mine),
        refresh.filter(mine),
        verified.filter(mine).map((r) => text(r.email).toLowerCase()),
      );
    });
  }

  private identity(
    row: LegacyRow,
    keys: LegacyRow[],
    refresh: LegacyRow[],
    verifiedEmails: string[],
  ): LegacyRead {
    const sourceId = String(row.id);
    const skip = (reason: string): SkippedRow => ({ sourceId, reason });
    const id = Number(row.id);
    if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647)
      return skip('id is not a positive 32-bit integer');
    const email = text(row.email).trim();
    const emailProblem = checkEmail(email);
    if (emailProblem) return skip(emailProblem);
    const password = storedPassword(row.password, this.canStore);
    if (typeof password !== 'string') return skip(password.problem);
    const username = this.columns.has('username')
      ? text(row.username)
      : usernameFor(email, sourceId);
    if (!USERNAME.test(username))
      return skip(`username ${JSON.stringify(username)} is not a valid username`);
    const dateJoined = this.columns.has('date_joined') ? toDate(row.date_joined) : undefined;
    if (dateJoined === null) return skip('date_joined is not a date');

    const user: LegacyIdentity['user'] = {
      id,
      email,
      username,
      firstName: text(row.first_name).slice(0, 150),
      lastName: text(row.last_name).slice(0, 150),
      password,
      ...(dateJoined ? { dateJoined } : {}),
      isActive: this.columns.has('is_active') ? toBool(row.is_active) : true,
      isVerified:
        verifiedEmails.includes(email.toLowerCase()) ||
        (this.columns.has('is_verified') && toBool(row.is_verified)),
      isStaff: toBool(row.is_staff),
      isSuperuser: toBool(row.is_superuser),
      lastLogin: toDate(row.last_login),
    };
    for (const column of OPTIONAL_DJANGO_COLUMNS) {
      if (this.columns.has(column)) Object.assign(user, optionalField(column, row[column]));
    }
    return {
      source: this.name,
      sourceId,
      user,
      tokenKeys: keys.map((k) => ({ key: text(k.key), created: toDate(k.created) ?? new Date() })),
      refreshTokens: refresh.flatMap((r): LegacyRefreshToken[] => {
        const createdAt = toDate(r.created_at) ?? new Date();
        const expiresAt = toDate(r.expires_at);
        return expiresAt
          ? [
              {
                jti: text(r.jti),
                token: text(r.token),
                createdAt,
                expiresAt,
                blacklistedAt: toDate(r.blacklisted_at),
              },
            ]
          : [];
      }),
    };
  }
}

/**
 * fastapi-users' SQLAlchemy table (`SQLAlchemyBaseUserTableUUID`): `id` (a UUID,
 * kept as the user's `uuid`), `email`, `hashed_password`, `is_active`,
 * `is_superuser`, `is_verified`. An integer pk is assigned on import.
 */
export class FastapiUsersSource implements LegacySource {
  readonly name = 'fastapi-users';

  private constructor(
    readonly database: LegacyDatabase,
    private readonly table: string,
    private readonly canStore: HashCheck,
  ) {}

  static async open(
    database: LegacyDatabase,
    table: string,
    canStore: HashCheck,
  ): Promise<FastapiUsersSource> {
    await userTableColumns(database, table, ['id', 'email', 'hashed_password']);
    return new FastapiUsersSource(database, table, canStore);
  }

  async count(): Promise<number> {
    const [row] = await this.database.query(`SELECT COUNT(*) AS n FROM ${quoteTable(this.table)}`);
    return Number(row.n);
  }

  async batch(after: string | null, size: number) {
    const rows = await this.users(
      after === null ? '' : 'WHERE "id" > ?',
      after === null ? [] : [after],
      size,
    );
    return {
      reads: rows.map((row) => this.identity(row)),
      cursor: rows.length ? text(rows[rows.length - 1].id) : null,
    };
  }

  async find(lookup: LegacyLookup): Promise<LegacyRead | null | undefined> {
    let rows: LegacyRow[];
    if ('email' in lookup) {
      rows = await this.users('WHERE lower("email") = lower(?)', [lookup.email.trim()], 2);
      if (rows.length > 1) return null;
    } else if ('uuid' in lookup) {
      const uuid = canonicalUuid(lookup.uuid);
      if (!uuid) return null;
      // SQLAlchemy's GUID type: a native uuid on PostgreSQL, CHAR(36) text elsewhere.
      rows = await this.users('WHERE "id" = ?', [uuid], 1);
    } else {
      return undefined;
    }
    return rows.length ? this.identity(rows[0]) : null;
  }

  private users(where: string, params: unknown[], limit: number): Promise<LegacyRow[]> {
    return this.database.query(
      `SELECT "id", "email", "hashed_password", "is_active", "is_superuser", "is_verified"
         FROM ${quoteTable(this.table)} ${where} ORDER BY "id" LIMIT ${Number(limit)}`,
      params,
    );
  }

  private identity(row: LegacyRow): LegacyRead {
    const sourceId = text(row.id);
    const skip = (reason: string): SkippedRow => ({ sourceId, reason });
    const uuid = canonicalUuid(sourceId);
    if (!uuid) return skip('id is not a UUID');
    const email = text(row.email).trim();
    const emailProblem = checkEmail(email);
    if (emailProblem) return skip(emailProblem);
    const password = storedPassword(row.hashed_password, this.canStore);
    if (typeof password !== 'string') return skip(password.problem);
    return {
      source: this.name,
      sourceId: uuid,
      user: {
        uuid,
        email,
        username: usernameFor(email, uuid),
        firstName: '',
        lastName: '',
        password,
        isActive: toBool(row.is_active),
        isVerified: toBool(row.is_verified),
        isStaff: false,
        isSuperuser: toBool(row.is_superuser),
      },
      tokenKeys: [],
      refreshTokens: [],
    };
  }
}

function checkEmail(email: string): string | undefined {
  if (!email) return 'no e-mail address';
  if (email.length > 254 || !EMAIL.test(email))
    return `invalid e-mail address ${JSON.stringify(email)}`;
  return undefined;
}

/** The hash to store: as is, or `!` for Django's empty one; a problem when no hasher knows it. */
function storedPassword(value: LegacyValue, canStore: HashCheck): string | { problem: string } {
  const encoded = text(value);
  if (encoded === '') return '!';
  if (encoded.length > MAX_PASSWORD_LENGTH) return { problem: 'password hash is too long' };
  if (!canStore(encoded)) {
    const format = /^([a-z0-9_]+)\$|^\$([a-z0-9]+)\$/i.exec(encoded);
    const name = format ? (format[1] ?? `$${format[2]}$`) : 'unrecognised';
    return { problem: `unknown password hash format (${name})` };
  }
  return encoded;
}

/** A username for a source without one: the e-mail when Django's rule allows it, else a unique stand-in. */
function usernameFor(email: string, sourceId: string): string {
  if (USERNAME.test(email)) return email;
  const local = (email.split('@')[0] ?? '').replace(/[^\p{L}\p{N}@.+_-]/gu, '').slice(0, 100);
  return `${local || 'user'}-${sourceId.replace(/-/g, '').slice(0, 12)}`;
}

function optionalField(
  column: (typeof OPTIONAL_DJANGO_COLUMNS)[number],
  value: LegacyValue,
): Partial<ImportedUser> {
  switch (column) {
    case 'country_code': {
      const code = text(value).toUpperCase();
      return { countryCode: /^[A-Z]{2}$/.test(code) ? code : null };
    }
    case 'kyc_status':
    case 'status': {
      const status = text(value);
      const known = (KYC_STATUSES as readonly string[]).includes(status)
        ? (status as KycStatus)
        : 'pending';
      return column === 'status' ? { status: known } : { kycStatus: known };
    }
    case 'public_key':
    case 'signer_key': {
      const key = text(value);
      const stored = /^G[A-Z2-7]{55}$/.test(key) ? key : null;
      return column === 'public_key' ? { publicKey: stored } : { signerKey: stored };
    }
    case 'account_provider_id': {
      const id = Number(value);
      return Number.isSafeInteger(id) && id > 0 ? { accountProviderId: id } : {};
    }
    case 'has_deposited':
      return { hasDeposited: toBool(value) };
    case 'subscribe':
      return { subscribe: toBool(value) };
    case 'is_blocked':
      return { isBlocked: toBool(value) };
    case 'is_verified':
      return {};
  }
}

function text(value: LegacyValue | undefined): string {
  if (value === null || value === undefined) return '';
  return value instanceof Date ? value.toISOString() : String(value);
}

function toBool(value: LegacyValue | undefined): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
}

/** Django on SQLite writes UTC as `YYYY-MM-DD HH:MM:SS[.ffffff]` with no zone; PostgreSQL gives Dates. */
export function toDate(value: LegacyValue | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const raw = String(value).trim().replace(' ', 'T');
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(raw) ? raw : `${raw}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A time as Django writes it into SQLite, comparable as text with the stored values. */
function djangoSqliteTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** The columns of a legacy user table, refused with a clear reason when it lacks one it needs. */
async function userTableColumns(
  database: LegacyDatabase,
  table: string,
  required: readonly string[],
): Promise<Set<string>> {
  quoteTable(table);
  const columns = await database.columns(table);
  for (const name of required) {
    if (!columns.has(name)) {
      throw new LegacyDatabaseError(
        columns.size === 0
          ? `no user table "${table}" in the legacy database`
          : `the user table "${table}" has no "${name}" column`,
      );
    }
  }
  return columns;
}
