import { randomInt, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isStoredId } from '../database/column-types';
import { IsNull, LessThanOrEqual, Or, QueryFailedError, Repository } from 'typeorm';
import { AccountProvider, PLATFORM_PROVIDER_ID } from './account-provider.entity';
import { PasswordHasherService } from './password-hasher.service';
import { User } from './user.entity';
import {
  EmailAlreadyUsedError,
  UnknownAccountProviderError,
  UsernameAlreadyUsedError,
} from './users.errors';

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

const REFERRAL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const REFERRAL_LENGTH = 6;
/** Django's username rule: letters, digits and @/./+/-/_ only, 150 at most. */
const USERNAME_DISALLOWED = /[^\p{L}\p{N}@.+_-]/gu;
const MAX_UNIQUE_ATTEMPTS = 20;

/** The user store's rules: uniqueness, password hashing and upgrade, credential checks. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(AccountProvider) private readonly providers: Repository<AccountProvider>,
    private readonly hasher: PasswordHasherService,
  ) {}

  /** Ids outside the integer column's range (a base36 uid, a long URL segment) match nobody. */
  findById(id: number): Promise<User | null> {
    return isStoredId(id) ? this.users.findOneBy({ id }) : Promise.resolve(null);
  }

  /** The user of an id if it may still act: active and not blocked. */
  async findActiveById(id: number): Promise<User | null> {
    const user = await this.findById(id);
    return user && user.isActive && !user.isBlocked ? user : null;
  }

  findByUuid(uuid: string): Promise<User | null> {
    return this.users.findOneBy({ uuid });
  }

  /** E-mail matching is case-insensitive everywhere (and served by the lower(email) index). */
  findByEmail(email: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .where('lower(user.email) = lower(:email)', { email: email.trim() })
      .getOne();
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username });
  }

  async create(input: CreateUserInput): Promise<User> {
    const email = input.email.trim();
    if (await this.findByEmail(email)) throw new EmailAlreadyUsedError();
    if (input.username !== undefined && (await this.findByUsername(input.username))) {
      throw new UsernameAlreadyUsedError();
    }
    const providerId = input.accountProviderId ?? PLATFORM_PROVIDER_ID;
    if (!(await this.providers.existsBy({ id: providerId }))) {
      throw new UnknownAccountProviderError(providerId);
    }
    const password =
      input.passwordHash ??
      (input.password !== undefined ? await this.hasher.hash(input.password) : '!');

    for (let attempt = 0; ; attempt++) {
      const user = this.users.create({
        uuid: randomUUID(),
        email,
        username: input.username ?? (await this.usernameFromEmail(email, attempt > 0)),
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
      try {
        return await this.users.save(user);
      } catch (error) {
        // Another request took the e-mail or username in between, or the random code collided.
        if (!(error instanceof QueryFailedError) || attempt >= 4) throw error;
        if (await this.findByEmail(email)) throw new EmailAlreadyUsedError();
        if (input.username !== undefined && (await this.findByUsername(input.username))) {
          throw new UsernameAlreadyUsedError();
        }
      }
    }
  }

  /** Changes the editable details; the username stays unique. */
  async updateDetails(
    user: User,
    changes: { username?: string; firstName?: string; lastName?: string },
  ): Promise<User> {
    if (changes.username !== undefined && changes.username !== user.username) {
      if (await this.findByUsername(changes.username)) throw new UsernameAlreadyUsedError();
    }
    const patch = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    if (Object.keys(patch).length > 0) await this.users.update(user.id, patch);
    return Object.assign(user, patch);
  }

  /**
   * Sets a new password only while the stored hash is still the one `user` was
   * read with — what a reset token is bound to. One conditional UPDATE, so of
   * concurrent uses of one reset link exactly one succeeds; false for the others.
   */
  async replacePassword(user: User, password: string): Promise<boolean> {
    const hash = await this.hasher.hash(password);
    const { affected } = await this.users.update(
      { id: user.id, password: user.password },
      { password: hash },
    );
    if (affected !== 1) return false;
    user.password = hash;
    return true;
  }

  async setPassword(user: User, password: string): Promise<void> {
    user.password = await this.hasher.hash(password);
    await this.users.update(user.id, { password: user.password });
  }

  /**
   * The credential check behind every login: the user whose e-mail (or username)
   * matches and whose password verifies, active or not — the caller decides what an
   * inactive or blocked user gets. Unknown users cost the same time as known ones.
   * A right password stored in an older format is re-hashed with the preferred hasher.
   */
  async verifyCredentials(identifier: string, password: string): Promise<User | null> {
    const user = identifier.includes('@')
      ? await this.findByEmail(identifier)
      : await this.findByUsername(identifier);
    if (!user) {
      await this.hasher.spendVerifyTime(password);
      return null;
    }
    const check = await this.hasher.check(password, user.password);
    if (!check.valid) return null;
    if (check.needsRehash) await this.setPassword(user, password);
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
    user.lastLogin = new Date();
    await this.users.update(user.id, { lastLogin: user.lastLogin });
  }

  /**
   * allauth's way: the e-mail's local part, cleaned, made unique with a number —
   * a random one when a concurrent sign-up just took the one this found free.
   */
  private async usernameFromEmail(email: string, contended = false): Promise<string> {
    const base =
      (email.split('@')[0] ?? '').replace(USERNAME_DISALLOWED, '').slice(0, 140) || 'user';
    if (contended) return `${base}${randomInt(10_000, 99_999)}`;
    for (let n = 0; n < MAX_UNIQUE_ATTEMPTS; n++) {
      const candidate = n === 0 ? base : `${base}${n + 1}`;
      if (!(await this.users.existsBy({ username: candidate }))) return candidate;
    }
    return `${base}${randomInt(10_000, 99_999)}`;
  }
}

function randomReferralCode(): string {
  let code = '';
  for (let i = 0; i < REFERRAL_LENGTH; i++)
    code += REFERRAL_ALPHABET[randomInt(REFERRAL_ALPHABET.length)];
  return code;
}
