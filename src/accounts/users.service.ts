import { randomInt, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { bulkWrite } from '../database/bulk-write';
import { CompiledLookup } from '../database/compiled-lookup';
import { rehearseSave } from '../database/rehearsal';
import { isStoredId } from '../database/column-types';
import { AuthCache } from '../access/auth-cache.service';
import { GatehouseEvent, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { MAX_PASSWORD_LENGTH } from './password-limit';
import { currentRequest, type RequestContext } from '../observability/request-context';
import {
  type EntityManager,
  In,
  IsNull,
  LessThanOrEqual,
  Or,
  QueryFailedError,
  Repository,
} from 'typeorm';
import { AccountProvider, PLATFORM_PROVIDER_ID } from './account-provider.entity';
import { identityKey } from './identity-key';
import { MissedIdentities } from './missed-identities';
import { PasswordHasherService } from './password-hasher.service';
import { User } from './user.entity';
import {
  EmailAlreadyUsedError,
  UnknownAccountProviderError,
  UsernameAlreadyUsedError,
  type UserStoreError,
} from './users.errors';
import type { ThrottleAccounts } from '../throttling/client-identity';

export interface CreateUserInput {
  email: string;
  /** A clear password to hash, or… */
  password?: string;
  /** …an encoded hash imported from Django or passlib (verified and upgraded at next login). */
  passwordHash?: string;
  /** Derived from the e-mail when absent, as allauth does. */
  username?: string;
  firstName?: string;
  lastName?: string;
  isActive?: boolean;
  isVerified?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  isBlocked?: boolean;
  accountProviderId?: number;
  subscribe?: boolean;
}

/** What may change on a stored user; `password` is in clear and gets hashed. */
export type UserChanges = Partial<
  Pick<
    User,
    | 'email'
    | 'username'
    | 'firstName'
    | 'lastName'
    | 'isActive'
    | 'isVerified'
    | 'isStaff'
    | 'isSuperuser'
    | 'isBlocked'
    | 'lastLogin'
    | 'countryCode'
    | 'kycStatus'
    | 'status'
    | 'publicKey'
    | 'signerKey'
    | 'hasDeposited'
    | 'accountProviderId'
  >
> & { password?: string };

/**
 * How a login identifier that is not an e-mail finds its user: by the exact
 * username (Django's ModelBackend), by the username in any letter case (allauth's
 * backend, behind dj-rest-auth), or not at all (fastapi-users knows only e-mails).
 */
export type LoginLookup = 'username' | 'username-ignoring-case' | 'email';

/**
 * A user as a legacy database holds it (see src/migration): written as is,
 * hash included. `id` is kept when given (Django's pk); without it one is assigned.
 */
export interface ImportedUser {
  id?: number;
  uuid: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  password: string;
  isActive: boolean;
  isVerified: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  /** Now when the source has none (a new user); left as it is on an update. */
  dateJoined?: Date;
  lastLogin?: Date | null;
  isBlocked?: boolean;
  countryCode?: string | null;
  kycStatus?: User['kycStatus'];
  status?: User['status'];
  hasDeposited?: boolean;
  publicKey?: string | null;
  signerKey?: string | null;
  accountProviderId?: number;
  subscribe?: boolean;
}

/** Who already holds an id, a UUID, an e-mail or a username an import wants. */
export type ImportTarget = Pick<User, 'id' | 'uuid' | 'email' | 'username'>;

/** Columns an import never overwrites: identity and what Gatehouse made itself. */
const KEPT_ON_REIMPORT = new Set(['id', 'uuid', 'referralCode', 'emailConfirmationSentAt']);

const REFERRAL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const REFERRAL_LENGTH = 6;
/** Django's username rule: letters, digits and @/./+/-/_ only, 150 at most. */
const USERNAME_DISALLOWED = /[^\p{L}\p{N}@.+_-]/gu;
const MAX_UNIQUE_ATTEMPTS = 20;

/** The user store's rules: uniqueness, password hashing and upgrade, credential checks. */
@Injectable()
export class UsersService implements ThrottleAccounts {
  /** The hot path's lookups (every login, every user-cache miss), compiled once. */
  private readonly byId: CompiledLookup<User>;
  private readonly byEmail: CompiledLookup<User>;

  /** Lookups the throttle made, for the same request's login check (handOver). */
  private readonly handedOver = new WeakMap<RequestContext, Map<string, Promise<User | null>>>();

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(AccountProvider) private readonly providers: Repository<AccountProvider>,
    private readonly hasher: PasswordHasherService,
    private readonly cache: AuthCache,
    private readonly missed: MissedIdentities,
    private readonly events: GatehouseEvents,
  ) {
    this.byId = new CompiledLookup(users, (column, value) => `${column('id')} = ${value}`);
    // Served by the lower(email) expression index.
    this.byEmail = new CompiledLookup(
      users,
      (column, value) => `lower(${column('email')}) = lower(${value})`,
    );
  }

  /** Ids outside the integer column's range (a base36 uid, a long URL segment) match nobody. */
  findById(id: number): Promise<User | null> {
    if (!isStoredId(id)) return Promise.resolve(null);
    return this.missed.orImported({ id }, () => this.byId.find(id));
  }

  /** The user of an id if it may still act (`canAuthenticate`). */
  async findActiveById(id: number): Promise<User | null> {
    const user = await this.findById(id);
    return user?.canAuthenticate ? user : null;
  }

  findByUuid(uuid: string): Promise<User | null> {
    return this.missed.orImported({ uuid }, () => this.users.findOneBy({ uuid }));
  }

  /** E-mail matching is case-insensitive everywhere (and served by the lower(email) index). */
  /**
   * The id of the account an e-mail or a username names (the throttle counts one
   * account once, however it is typed); undefined when none does.
   */
  async accountIdNamed(name: string): Promise<number | undefined> {
    // No stored e-mail or username holds a NUL (and PostgreSQL cannot compare one).
    if (name.includes('\u0000')) return undefined;
    const byEmail = name.includes('@');
    const found = byEmail ? this.findByEmail(name) : this.findByUsernameIgnoringCase(name);
    // The login that follows in this request reads the same row: it takes this read instead.
    this.handOver(`${byEmail ? 'email' : 'username-ignoring-case'}:${name}`, found);
    return (await found)?.id;
  }

  /**
   * Keeps a lookup for the current request's next login check (verifyCredentials),
   * which takes it once: a throttled login reads its user once, not twice.
   * Nothing else reads it, so no write of the request can be hidden behind it.
   */
  private handOver(key: string, found: Promise<User | null>): void {
    const context = currentRequest();
    if (!context) return;
    let lookups = this.handedOver.get(context);
    if (!lookups) this.handedOver.set(context, (lookups = new Map<string, Promise<User | null>>()));
    lookups.set(key, found);
  }

  /** The lookup handOver kept for this request under `key`, taken (once). */
  private takeOver(key: string): Promise<User | null> | undefined {
    const context = currentRequest();
    const lookups = context && this.handedOver.get(context);
    const found = lookups?.get(key);
    if (found) lookups!.delete(key);
    return found;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.missed.orImported({ email }, () => this.byEmail.find(email.trim()));
  }

  findByUsername(username: string): Promise<User | null> {
    return this.missed.orImported({ username }, () => this.users.findOneBy({ username }));
  }

  /** The exact username's user, else one whose username differs only in letter case. */
  async findByUsernameIgnoringCase(username: string): Promise<User | null> {
    return (
      (await this.findByUsername(username)) ??
      this.users
        .createQueryBuilder('user')
        .where('lower(user.username) = lower(:username)', { username })
        .orderBy('user.id')
        .getOne()
    );
  }

  /**
   * The user whose e-mail is this one or a look-alike of it (another letter case, a
   * Kelvin sign…: the same `identityKey`), as uniqueness sees it.
   */
  findEmailHolder(email: string): Promise<User | null> {
    const key = identityKey(email.trim());
    return this.missed.orImported(
      { email },
      async () =>
        (await this.users.findOneBy({ emailKey: key })) ?? this.byEmail.find(email.trim()),
    );
  }

  /** The user whose username is this one or a look-alike of it ("Grace" for "grace"). */
  findUsernameHolder(username: string): Promise<User | null> {
    const key = identityKey(username);
    return this.missed.orImported(
      { username },
      async () =>
        (await this.users.findOneBy({ usernameKey: key })) ?? this.users.findOneBy({ username }),
    );
  }

  async create(input: CreateUserInput): Promise<User> {
    const email = input.email.trim();
    const taken = await this.alreadyUsed(email, input.username);
    // A taken address or name does the new one's work, its INSERT included, written
    // nowhere, so time tells nothing the answer does not.
    let user: User;
    try {
      user = await this.prepare(input);
    } catch (error) {
      throw taken ?? error;
    }
    if (taken) {
      await rehearseSave(this.users, user);
      throw taken;
    }
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0 && input.username === undefined) {
        user.username = await this.usernameFromEmail(email, true);
        user.usernameKey = identityKey(user.username);
      }
      try {
        return await this.users.save(user);
      } catch (error) {
        // Another request took the e-mail or username in between, or the random code collided.
        if (!(error instanceof QueryFailedError) || attempt >= 4) throw error;
        const takenMeanwhile = await this.alreadyUsed(email, input.username);
        if (takenMeanwhile) throw takenMeanwhile;
        user.referralCode = randomReferralCode();
      }
    }
  }

  /**
   * What `create` spends for a new address (its uniqueness lookups, its preparation
   * and its INSERT, rehearsed: see `rehearseSave`), writing nothing: a sign-up
   * refused for a taken address runs it. The unsaved user, for the answer's rehearsal.
   */
  async rehearseCreate(input: CreateUserInput): Promise<User> {
    await this.alreadyUsed(input.email.trim(), input.username);
    const user = await this.prepare(input);
    await rehearseSave(this.users, user);
    return user;
  }

  /**
   * Everything `create` does before its INSERT (the provider check, the hash, the
   * derived username, the entity), writing nothing: what a sign-up refused for a
   * taken address or username spends, so its time is a new one's.
   * @throws UnknownAccountProviderError
   */
  async prepare(input: CreateUserInput): Promise<User> {
    const email = input.email.trim();
    const providerId = input.accountProviderId ?? PLATFORM_PROVIDER_ID;
    if (!(await this.providers.existsBy({ id: providerId }))) {
      throw new UnknownAccountProviderError(providerId);
    }
    const password =
      input.passwordHash ??
      (input.password !== undefined ? await this.hasher.hash(input.password) : '!');
    const username = input.username ?? (await this.usernameFromEmail(email));
    return this.users.create({
      uuid: randomUUID(),
      email,
      emailKey: identityKey(email),
      username,
      usernameKey: identityKey(username),
      firstName: input.firstName ?? '',
      lastName: input.lastName ?? '',
      password,
      isActive: input.isActive ?? true,
      isVerified: input.isVerified ?? false,
      isStaff: input.isStaff ?? false,
      isSuperuser: input.isSuperuser ?? false,
      isBlocked: input.isBlocked ?? false,
      dateJoined: new Date(),
      lastLogin: null,
      referralCode: randomReferralCode(),
      accountProviderId: providerId,
      subscribe: input.subscribe ?? false,
    });
  }

  /** A page of users in id order, and how many there are (the admin list). */
  page(skip: number, take: number): Promise<[User[], number]> {
    return this.users.findAndCount({ order: { id: 'ASC' }, skip, take });
  }

  /**
   * Sets a new password only while the stored hash is still the one `user` was
   * read with — what a reset token is bound to. One conditional UPDATE, so of
   * concurrent uses of one reset link exactly one succeeds; false for the others.
   */
  async replacePassword(user: User, password: string): Promise<boolean> {
    const hash = await this.hasher.hash(password, user.password);
    const { affected } = await this.users.update(
      { id: user.id, password: user.password },
      { password: hash },
    );
    if (affected !== 1) return false;
    user.password = hash;
    await this.cache.invalidate({ kind: 'user', userId: user.id });
    return true;
  }

  /**
   * Activates an inactive user (djoser's activation); false when it already was.
   * One conditional UPDATE, so of concurrent uses of one link exactly one succeeds.
   */
  async activate(user: User): Promise<boolean> {
    const { affected } = await this.users.update(
      { id: user.id, isActive: false },
      { isActive: true },
    );
    if (affected !== 1) return false;
    user.isActive = true;
    await this.cache.invalidate({ kind: 'user', userId: user.id });
    return true;
  }

  /**
   * Sets a new e-mail only while the stored one is still the one `user` was read
   * with — what an e-mail reset token is bound to — so of concurrent uses of one
   * link exactly one succeeds; false for the others.
   * @throws EmailAlreadyUsedError
   */
  async replaceEmail(user: User, email: string): Promise<boolean> {
    const taken = await this.alreadyUsed(email, undefined, user);
    if (taken) throw taken;
    const patch = { email, emailKey: identityKey(email), isVerified: false };
    try {
      const { affected } = await this.users.update({ id: user.id, email: user.email }, patch);
      if (affected !== 1) return false;
    } catch (error) {
      const takenMeanwhile =
        error instanceof QueryFailedError && (await this.alreadyUsed(email, undefined, user));
      throw takenMeanwhile || error;
    }
    Object.assign(user, patch);
    await this.cache.invalidate({ kind: 'user', userId: user.id });
    return true;
  }

  /**
   * The uniqueness error for an e-mail or username that a user other than `owner`
   * already holds, or a look-alike of it, if one does.
   */
  private async alreadyUsed(
    email: string | undefined,
    username: string | undefined,
    owner?: User,
  ): Promise<UserStoreError | undefined> {
    const held = (other: User | null) => other !== null && other.id !== owner?.id;
    if (email !== undefined && held(await this.findEmailHolder(email))) {
      return new EmailAlreadyUsedError();
    }
    if (username !== undefined && held(await this.findUsernameHolder(username))) {
      return new UsernameAlreadyUsedError();
    }
    return undefined;
  }

  /**
   * The one way a stored user changes. The e-mail and the username stay unique up
   * to look-alikes (`identityKey`), checked first and enforced by the database's
   * unique indexes: a concurrent writer that takes the value in between gets the
   * same field error, never a failed query. A new address is unverified unless the
   * change says otherwise, whatever the surface. A clear `password` is hashed.
   * @throws EmailAlreadyUsedError, UsernameAlreadyUsedError
   */
  async update(user: User, changes: UserChanges): Promise<User> {
    const { password, ...rest } = changes;
    const patch: Partial<User> = Object.fromEntries(
      Object.entries(rest).filter(([, value]) => value !== undefined),
    );
    // In the dialect of the hash it replaces: a Django user's stays one Django verifies.
    if (password !== undefined) patch.password = await this.hasher.hash(password, user.password);
    if (Object.keys(patch).length === 0) return user;
    const email = patch.email !== user.email ? patch.email : undefined;
    const username = patch.username !== user.username ? patch.username : undefined;
    const taken = await this.alreadyUsed(email, username, user);
    if (taken) throw taken;
    if (email !== undefined) {
      patch.emailKey = identityKey(email);
      patch.isVerified ??= false;
    }
    if (username !== undefined) patch.usernameKey = identityKey(username);
    // Deactivation ends every session for good: what was issued before stays dead (DESIGN.md).
    const deactivated = patch.isActive === false && user.isActive;
    if (deactivated) patch.sessionsEndedAt = new Date();
    try {
      await this.users.update(user.id, patch);
    } catch (error) {
      // Another request took the e-mail or username between the check and the write.
      const takenMeanwhile =
        error instanceof QueryFailedError && (await this.alreadyUsed(email, username, user));
      throw takenMeanwhile || error;
    }
    // Every instance's cached copy of this user is stale from now on.
    await this.cache.invalidate({ kind: 'user', userId: user.id });
    Object.assign(user, patch);
    if (deactivated) await this.events.emit(GatehouseEvent.userDeactivated, userRef(user));
    return user;
  }

  /** Changes the editable details (dj-rest-auth's user details); the username stays unique. */
  updateDetails(
    user: User,
    changes: { username?: string; firstName?: string; lastName?: string },
  ): Promise<User> {
    return this.update(user, changes);
  }

  async setPassword(user: User, password: string): Promise<void> {
    await this.update(user, { password });
  }

  /**
   * The credential check behind every login (LoginService): the user whose e-mail
   * (or username) matches and whose password verifies, active or not — the caller
   * decides what an inactive or blocked user gets. Unknown users, and passwords past
   * MAX_PASSWORD_LENGTH (never hashed), cost the same time as a wrong password. A
   * right password stored in an older format is re-hashed with the preferred hasher,
   * for a user who may log in.
   */
  async verifyCredentials(
    identifier: string,
    password: string,
    lookup: LoginLookup = 'username',
  ): Promise<User | null> {
    // No stored e-mail or username holds a NUL (and PostgreSQL cannot compare one).
    const user = identifier.includes('\u0000')
      ? null
      : lookup === 'email' || identifier.includes('@')
        ? await (this.takeOver(`email:${identifier}`) ?? this.findByEmail(identifier))
        : lookup === 'username-ignoring-case'
          ? await (this.takeOver(`username-ignoring-case:${identifier}`) ??
              this.findByUsernameIgnoringCase(identifier))
          : await this.findByUsername(identifier);
    // Past the cap a password is simply wrong (DESIGN.md, turn 3), and not worth
    // hashing: the unknown user's work, on a stand-in, so time tells nothing.
    const overLong = password.length > MAX_PASSWORD_LENGTH;
    if (!user || overLong) {
      await this.hasher.spendVerifyTime(overLong ? '' : password);
      return null;
    }
    const check = await this.hasher.check(password, user.password);
    if (!check.valid) return null;
    // Not for a login the caller refuses (inactive, blocked): a new hash would kill the
    // activation or reset link the old deployment mailed (Django's token hashes the hash).
    if (check.needsRehash && user.isActive && !user.isBlocked)
      await this.setPassword(user, password);
    return user;
  }

  /** Marks the address confirmed (allauth's EmailAddress.verified, fastapi-users' is_verified). */
  /**
   * Marks the e-mail verified; false when it already was. One conditional UPDATE,
   * so of concurrent uses of one verification link exactly one succeeds.
   */
  async markVerified(user: User): Promise<boolean> {
    const { affected } = await this.users.update(
      { id: user.id, isVerified: false },
      { isVerified: true },
    );
    user.isVerified = true;
    if (affected === 1) await this.cache.invalidate({ kind: 'user', userId: user.id });
    return affected === 1;
  }

  /**
   * Claims the right to send a confirmation mail: true, and the time recorded,
   * when none went out in the last `intervalSeconds`. One conditional UPDATE, so
   * two instances answering at once cannot both send.
   */
  async claimConfirmationMail(user: User, intervalSeconds: number): Promise<boolean> {
    const now = new Date();
    const since = new Date(now.getTime() - intervalSeconds * 1000);
    const result = await this.users.update(
      { id: user.id, emailConfirmationSentAt: Or(IsNull(), LessThanOrEqual(since)) },
      { emailConfirmationSentAt: now },
    );
    if (!result.affected) return false;
    user.emailConfirmationSentAt = now;
    return true;
  }

  async recordLogin(user: User): Promise<void> {
    await this.update(user, { lastLogin: new Date() });
  }

  async delete(user: User): Promise<void> {
    await this.users.delete(user.id);
    await this.cache.invalidate({ kind: 'user', userId: user.id });
  }

  /**
   * The users an import batch could collide with: by id, UUID, e-mail
   * (case-insensitively) or username. Read inside the import's transaction.
   */
  async findImportTargets(
    manager: EntityManager,
    keys: { ids: number[]; uuids: string[]; emails: string[]; usernames: string[] },
  ): Promise<ImportTarget[]> {
    // One query per key, each served by its own index (an OR of them scans the table).
    const lookups: [string, unknown[]][] = [
      ['user.id', keys.ids.filter(isStoredId)],
      ['user.uuid', keys.uuids],
      ['lower(user.email)', keys.emails.map((e) => e.toLowerCase())],
      ['user.username', keys.usernames],
    ];
    const found = new Map<number, ImportTarget>();
    for (const [expression, values] of lookups) {
      if (values.length === 0) continue;
      const users = await manager
        .getRepository(User)
        .createQueryBuilder('user')
        .select(['user.id', 'user.uuid', 'user.email', 'user.username'])
        .where(`${expression} IN (:...values)`, { values })
        .getMany();
      for (const user of users) found.set(user.id, user);
    }
    return [...found.values()];
  }

  /**
   * Writes imported users in one multi-row INSERT … ON CONFLICT (id) DO UPDATE:
   * new rows are created (with their own id when given), rows whose id exists get
   * the imported fields (never their UUID or referral code). Returns the id of
   * every row by UUID. Runs in the caller's transaction, which then moves the id
   * sequence past explicit ids (UserIdRange).
   */
  async upsertImported(
    manager: EntityManager,
    rows: readonly ImportedUser[],
  ): Promise<Map<string, number>> {
    if (rows.length === 0) return new Map();
    const repository = manager.getRepository(User);
    const keyed = rows.map((row) => ({
      ...row,
      emailKey: identityKey(row.email),
      usernameKey: identityKey(row.username),
    }));
    const fields = new Set(keyed.flatMap((row) => Object.keys(row)));
    const now = new Date();
    const defaults: Partial<User> = {
      accountProviderId: PLATFORM_PROVIDER_ID,
      dateJoined: now,
      lastLogin: null,
      isBlocked: false,
      kycStatus: 'pending',
      status: 'pending',
      hasDeposited: false,
      countryCode: null,
      publicKey: null,
      signerKey: null,
      subscribe: false,
      emailConfirmationSentAt: null,
    };
    await bulkWrite(
      manager,
      User,
      keyed.map((row) => ({
        ...defaults,
        ...row,
        // Longer than sign-up's codes: 100,000 imported users must not collide.
        referralCode: randomReferralCode(8),
      })),
      {
        conflict: ['id'],
        update: repository.metadata.columns
          .map((c) => c.propertyName)
          .filter((name) => fields.has(name) && !KEPT_ON_REIMPORT.has(name)),
      },
    );
    // Explicit ids do not advance PostgreSQL's sequence: the importer moves it past
    // them, and past the legacy service's range (src/migration/user-id-range.ts).
    const written = await repository.find({
      select: { id: true, uuid: true },
      where: { uuid: In(rows.map((row) => row.uuid)) },
    });
    return new Map(written.map((user) => [user.uuid, user.id]));
  }

  /**
   * allauth's way: the e-mail's local part, cleaned, made unique with a number —
   * a random one when a concurrent sign-up just took the one this found free.
   */
  async usernameFromEmail(email: string, contended = false): Promise<string> {
    const base =
      (email.split('@')[0] ?? '').replace(USERNAME_DISALLOWED, '').slice(0, 140) || 'user';
    if (contended) return `${base}${randomInt(10_000, 99_999)}`;
    for (let n = 0; n < MAX_UNIQUE_ATTEMPTS; n++) {
      const candidate = n === 0 ? base : `${base}${n + 1}`;
      const free = !(await this.users.existsBy([
        { usernameKey: identityKey(candidate) },
        { username: candidate },
      ]));
      if (free) return candidate;
    }
    return `${base}${randomInt(10_000, 99_999)}`;
  }
}

function randomReferralCode(length = REFERRAL_LENGTH): string {
  let code = '';
  for (let i = 0; i < length; i++) code += REFERRAL_ALPHABET[randomInt(REFERRAL_ALPHABET.length)];
  return code;
}
