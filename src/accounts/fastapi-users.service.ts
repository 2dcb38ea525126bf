import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuthCache } from '../common/auth/auth-cache.service';
import { QueryFailedError, Repository } from 'typeorm';
import { FastapiUsersErrorCode, fastapiUsersError } from '../common/errors/fastapi-users-errors';
import { GatehouseEvent, userRef } from '../common/events/gatehouse-events';
import { GatehouseEvents } from '../common/events/gatehouse-events.service';
import { PasswordHasherService } from './password-hasher.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

/** fastapi-users' UserRead, in its field order. */
export interface UserRead {
  id: string;
  email: string;
  is_active: boolean;
  is_superuser: boolean;
  is_verified: boolean;
}

export function userRead(user: User): UserRead {
  return {
    id: user.uuid,
    email: user.email,
    is_active: user.isActive,
    is_superuser: user.isSuperuser,
    is_verified: user.isVerified,
  };
}

/** What a fastapi-users update may change (`password` in clear, already validated). */
export interface FastapiUsersChanges {
  password?: string;
  email?: string;
  isActive?: boolean;
  isSuperuser?: boolean;
  isVerified?: boolean;
}

/**
 * The user store as fastapi-users' BaseUserManager sees it: users by UUID, its
 * update rules (a new e-mail must be free and is unverified), deletion.
 */
@Injectable()
export class FastapiUsersService {
  constructor(
    @InjectRepository(User) private readonly repository: Repository<User>,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasherService,
    private readonly events: GatehouseEvents,
    private readonly cache: AuthCache,
  ) {}

  /** fastapi-users' parse_id + get: any form Python's UUID() reads; null when malformed or unknown. */
  async findById(id: string): Promise<User | null> {
    const uuid = canonicalUuid(id);
    return uuid ? this.users.findByUuid(uuid) : null;
  }

  /**
   * fastapi-users' `_update`: a new e-mail must belong to nobody else and resets
   * `is_verified` (unless the change sets it too); a password is hashed.
   * @throws UPDATE_USER_EMAIL_ALREADY_EXISTS
   */
  async update(user: User, changes: FastapiUsersChanges): Promise<User> {
    const patch: Partial<User> = {};
    if (changes.password !== undefined) patch.password = await this.hasher.hash(changes.password);
    if (changes.email !== undefined && changes.email !== user.email) {
      const owner = await this.users.findByEmail(changes.email);
      if (owner && owner.id !== user.id) {
        throw fastapiUsersError(FastapiUsersErrorCode.UPDATE_USER_EMAIL_ALREADY_EXISTS);
      }
      patch.email = changes.email;
      // Only the spelling changed: still the same, verified mailbox.
      if (!owner) patch.isVerified = false;
    }
    if (changes.isActive !== undefined) patch.isActive = changes.isActive;
    if (changes.isSuperuser !== undefined) patch.isSuperuser = changes.isSuperuser;
    if (changes.isVerified !== undefined) patch.isVerified = changes.isVerified;
    if (Object.keys(patch).length === 0) return user;
    try {
      await this.repository.update(user.id, patch);
    } catch (error) {
      // Another request took the address in between (the lower(email) index decides).
      if (error instanceof QueryFailedError && patch.email !== undefined) {
        throw fastapiUsersError(FastapiUsersErrorCode.UPDATE_USER_EMAIL_ALREADY_EXISTS);
      }
      throw error;
    }
    await this.cache.invalidate({ kind: 'user', userId: user.id });
    Object.assign(user, patch);
    if (patch.password !== undefined) {
      // LOGOUT_ON_PASSWORD_CHANGE listeners end the user's other sessions.
      await this.events.emit(GatehouseEvent.passwordChanged, { ...userRef(user), via: 'change' });
    }
    return user;
  }

  async delete(user: User): Promise<void> {
    await this.repository.delete(user.id);
    await this.cache.invalidate({ kind: 'user', userId: user.id });
  }
}

/** The canonical (lower-case, hyphenated) form of a UUID as Python's `uuid.UUID(text)` accepts it. */
export function canonicalUuid(text: string): string | null {
  const hex = text
    .replace(/^urn:/i, '')
    .replace(/^uuid:/i, '')
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) return null;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
