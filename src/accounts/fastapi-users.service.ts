import { Injectable } from '@nestjs/common';
import { GatehouseEvent, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { identityKey } from './identity-key';
import { User } from './user.entity';
import { EmailAlreadyUsedError } from './users.errors';
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
    private readonly users: UsersService,
    private readonly events: GatehouseEvents,
  ) {}

  /** fastapi-users' parse_id + get: any form Python's UUID() reads; null when malformed or unknown. */
  async findById(id: string): Promise<User | null> {
    const uuid = canonicalUuid(id);
    return uuid ? this.users.findByUuid(uuid) : null;
  }

  /**
   * fastapi-users' `_update`: a new e-mail must belong to nobody — the user's own
   * address in another spelling included, as its case-insensitive `get_by_email`
   * finds the user itself — and resets `is_verified` (unless the change sets it
   * too, UsersService.update); a password (already validated) is hashed.
   * @throws EmailAlreadyUsedError
   */
  async update(user: User, changes: FastapiUsersChanges): Promise<User> {
    const { email, ...rest } = changes;
    if (
      email !== undefined &&
      email !== user.email &&
      identityKey(email) === identityKey(user.email)
    ) {
      throw new EmailAlreadyUsedError();
    }
    await this.users.update(user, {
      ...(email !== undefined ? { email } : {}),
      ...definedOnly(rest),
    });
    if (changes.password !== undefined) {
      // LOGOUT_ON_PASSWORD_CHANGE listeners end the user's other sessions.
      await this.events.emit(GatehouseEvent.passwordChanged, { ...userRef(user), via: 'change' });
    }
    return user;
  }

  delete(user: User): Promise<void> {
    return this.users.delete(user);
  }
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
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
