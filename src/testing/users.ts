import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';

/** A user to make; every field has a default (a unique e-mail, a strong password). */
export interface UserFactoryInput {
  email?: string;
  /** Derived from the e-mail when absent, as allauth does. */
  username?: string;
  password?: string;
  first_name?: string;
  last_name?: string;
  is_staff?: boolean;
  is_superuser?: boolean;
  /** `false`: an inactive user (every login refused). Default true. */
  is_active?: boolean;
  /** The e-mail address is verified (allauth / fastapi-users `is_verified`). Default false. */
  verified?: boolean;
}

/** A stored user and the clear password it logs in with. */
export interface TestUser {
  user: User;
  email: string;
  username: string;
  password: string;
}

let made = 0;

/**
 * Makes a user through Gatehouse's own UsersService (hashing, username
 * derivation and the created-user rules as sign-up applies them), not raw SQL.
 */
export async function createUser(
  app: INestApplicationContext,
  input: UserFactoryInput = {},
): Promise<TestUser> {
  made += 1;
  const email =
    input.email ?? `user${made}.${randomBytes(3).toString('hex')}@example.com`.toLowerCase();
  const password = input.password ?? `Gatehouse-Test-${randomBytes(6).toString('hex')}`;
  const user = await app.get(UsersService, { strict: false }).create({
    email,
    password,
    username: input.username,
    firstName: input.first_name,
    lastName: input.last_name,
    isStaff: input.is_staff,
    isSuperuser: input.is_superuser,
    isActive: input.is_active,
    isVerified: input.verified,
  });
  return { user, email: user.email, username: user.username, password };
}
