import type { INestApplicationContext } from '@nestjs/common';
import { UsersService } from '../accounts/users.service';
import { UserStoreError } from '../accounts/users.errors';
import { UsageError, type CommandSpec } from './command';

/** Loose on purpose: the shape Django's EmailValidator accepts, minus its edge cases. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_PASSWORD_LENGTH = 4096;

function email(value: string | undefined): string {
  if (!value) throw new UsageError('--email is required');
  const trimmed = value.trim();
  if (!EMAIL.test(trimmed) || trimmed.length > 254) {
    throw new UsageError(`--email must be an e-mail address (got "${value}")`);
  }
  return trimmed;
}

function password(value: string | undefined): string {
  if (value === undefined) throw new UsageError('--password is required');
  if (value.length === 0) throw new UsageError('--password must not be empty');
  if (value.length > MAX_PASSWORD_LENGTH) {
    throw new UsageError(`--password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  return value;
}

function providerId(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(
      `--provider must be an account provider id, a positive integer (got "${value}")`,
    );
  }
  return Number(value);
}

export const createUserCommand: CommandSpec = {
  name: 'users:create',
  usage:
    'users:create --email E (--password P | --password-hash H) [--username U] [--first-name F] ' +
    '[--last-name L] [--staff] [--superuser] [--inactive] [--unverified] [--blocked] [--provider ID]',
  description:
    'Creates a user and prints its id. --password-hash imports a Django or passlib hash as it is; ' +
    "it is upgraded to argon2id at the user's next login.",
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    'password-hash': { type: 'string' },
    username: { type: 'string' },
    'first-name': { type: 'string' },
    'last-name': { type: 'string' },
    staff: { type: 'boolean' },
    superuser: { type: 'boolean' },
    inactive: { type: 'boolean' },
    unverified: { type: 'boolean' },
    blocked: { type: 'boolean' },
    provider: { type: 'string' },
  },
  async run(app: INestApplicationContext, values): Promise<string> {
    const hash = values['password-hash'] as string | undefined;
    if (hash !== undefined && values.password !== undefined) {
      throw new UsageError('give either --password or --password-hash, not both');
    }
    if (hash !== undefined && (hash.length === 0 || hash.length > 255)) {
      throw new UsageError('--password-hash must be an encoded hash of at most 255 characters');
    }
    const username = values.username as string | undefined;
    if (username !== undefined && !/^[\p{L}\p{N}@.+_-]{1,150}$/u.test(username)) {
      throw new UsageError(
        '--username may hold 150 letters, digits and @/./+/-/_ characters at most',
      );
    }
    const user = await app.get(UsersService).create({
      email: email(values.email as string | undefined),
      ...(hash !== undefined
        ? { passwordHash: hash }
        : { password: password(values.password as string | undefined) }),
      username,
      firstName: values['first-name'] as string | undefined,
      lastName: values['last-name'] as string | undefined,
      isStaff: Boolean(values.staff) || Boolean(values.superuser),
      isSuperuser: Boolean(values.superuser),
      isActive: !values.inactive,
      isVerified: !values.unverified,
      isBlocked: Boolean(values.blocked),
      accountProviderId: providerId(values.provider as string | undefined),
    });
    return String(user.id);
  },
};

export const setPasswordCommand: CommandSpec = {
  name: 'users:set-password',
  usage: 'users:set-password --email E --password P',
  description: "Replaces a user's password (hashed with argon2id).",
  options: { email: { type: 'string' }, password: { type: 'string' } },
  async run(app: INestApplicationContext, values): Promise<string> {
    const users = app.get(UsersService);
    const address = email(values.email as string | undefined);
    const newPassword = password(values.password as string | undefined);
    const user = await users.findByEmail(address);
    if (!user) throw new UsageError(`no user has the e-mail address ${address}`);
    await users.setPassword(user, newPassword);
    return `password set for user ${user.id}`;
  },
};

/** Domain errors the user store raises, as CLI messages. */
export function describeStoreError(error: unknown): string | undefined {
  if (!(error instanceof UserStoreError)) return undefined;
  const option = {
    email: '--email',
    username: '--username',
    password: '--password',
    accountProviderId: '--provider',
  }[error.field];
  return `${option}: ${error.message}`;
}
