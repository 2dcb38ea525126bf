import type { INestApplicationContext } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { PasswordHasherService } from '../accounts/password-hasher.service';
import { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import { UserStoreError } from '../accounts/users.errors';
import { CommandError, UsageError, type CommandSpec } from './command';
import { newPassword, PASSWORD_HELP, PASSWORD_OPTIONS } from './password-input';

/** Loose on purpose: the shape Django's EmailValidator accepts, minus its edge cases. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The encodings the built-in hashers verify, for the message refusing any other. */
const HASH_FORMATS =
  'pbkdf2_sha256$…, pbkdf2_sha1$…, argon2$argon2id$…, bcrypt_sha256$$2b$…, bcrypt$$2b$…, $2b$… or $argon2id$…';

function email(value: string | undefined): string {
  if (!value) throw new UsageError('--email is required');
  const trimmed = value.trim();
  if (!EMAIL.test(trimmed) || trimmed.length > 254) {
    throw new UsageError(`--email must be an e-mail address (got "${value}")`);
  }
  return trimmed;
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

/** The user an `--email` names, or a usage error saying there is none. */
export async function existingUser(app: INestApplicationContext, value: unknown): Promise<User> {
  const address = email(value as string | undefined);
  const user = await app.get(UsersService).findByEmail(address);
  if (!user) throw new UsageError(`no user has the e-mail address ${address}`);
  return user;
}

export const createUserCommand: CommandSpec = {
  name: 'users:create',
  usage:
    'users:create --email E [--password P | --password-hash H] [--skip-password-validation] [--username U] ' +
    '[--first-name F] [--last-name L] [--staff] [--superuser] [--inactive] [--unverified] [--blocked] [--provider ID]',
  description:
    "Creates a user and prints its id, as Django's createsuperuser: without --password on a terminal, " +
    "asks for it twice; the password validators apply. --password-hash imports a Django or passlib hash as it is; it is upgraded to argon2id at the user's next login.",
  options: {
    email: { type: 'string' },
    ...PASSWORD_OPTIONS,
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
  help: [
    "--email E                     the user's e-mail address (unique, case-insensitively)",
    ...PASSWORD_HELP,
    `--password-hash H             an encoded hash instead: ${HASH_FORMATS}`,
    '--username U                  default: derived from the e-mail, as allauth does',
    '--first-name F, --last-name L',
    '--staff                       is_staff (admin endpoints)',
    '--superuser                   is_superuser and is_staff',
    '--inactive, --unverified, --blocked',
    '--provider ID                 account provider (default 1, the platform; see providers:create)',
  ],
  async run(app: INestApplicationContext, values) {
    const hash = values['password-hash'] as string | undefined;
    if (hash !== undefined && values.password !== undefined) {
      throw new UsageError('give either --password or --password-hash, not both');
    }
    const address = email(values.email as string | undefined);
    const username = values.username as string | undefined;
    if (username !== undefined && !/^[\p{L}\p{N}@.+_-]{1,150}$/u.test(username)) {
      throw new UsageError(
        '--username may hold 150 letters, digits and @/./+/-/_ characters at most',
      );
    }
    const accountProviderId = providerId(values.provider as string | undefined);
    const firstName = values['first-name'] as string | undefined;
    const lastName = values['last-name'] as string | undefined;
    if (hash !== undefined && !app.get(PasswordHasherService).recognizes(hash)) {
      throw new CommandError(
        `--password-hash: unknown hash format; Gatehouse verifies ${HASH_FORMATS}`,
      );
    }
    const users = app.get(UsersService);
    // Refused (a look-alike address too) before a password is asked for, not after.
    if (await users.findEmailHolder(address)) {
      throw new UsageError('--email: A user with that e-mail address already exists.');
    }
    const secret =
      hash !== undefined
        ? { passwordHash: hash }
        : {
            password: await newPassword(app, values, {
              email: address,
              username,
              firstName,
              lastName,
            }),
          };
    const user = await users.create({
      email: address,
      ...secret,
      username,
      firstName,
      lastName,
      isStaff: Boolean(values.staff) || Boolean(values.superuser),
      isSuperuser: Boolean(values.superuser),
      isActive: !values.inactive,
      isVerified: !values.unverified,
      isBlocked: Boolean(values.blocked),
      accountProviderId,
    });
    return {
      text: String(user.id),
      json: { id: user.id, uuid: user.uuid, email: user.email, username: user.username },
    };
  },
};

export const setPasswordCommand: CommandSpec = {
  name: 'users:set-password',
  usage: 'users:set-password --email E [--password P] [--skip-password-validation]',
  description:
    "Replaces a user's password (hashed with argon2id), as Django's changepassword: without --password " +
    'on a terminal, asks for it twice; the password validators apply.',
  options: { email: { type: 'string' }, ...PASSWORD_OPTIONS },
  help: ["--email E                     the user's e-mail address", ...PASSWORD_HELP],
  async run(app: INestApplicationContext, values) {
    const user = await existingUser(app, values.email);
    const password = await newPassword(app, values, user);
    await app.get(UsersService).setPassword(user, password);
    return { text: `password set for user ${user.id}`, json: { id: user.id, email: user.email } };
  },
};

export const listUsersCommand: CommandSpec = {
  name: 'users:list',
  usage: 'users:list [--json]',
  description: 'Lists the users: id, e-mail, username and flags, oldest first.',
  options: {},
  async run(app: INestApplicationContext) {
    const rows = await app
      .get<Repository<User>>(getRepositoryToken(User))
      .find({ order: { id: 'ASC' } });
    const shown = rows.map((user) => ({
      id: user.id,
      email: user.email,
      username: user.username,
      is_active: user.isActive,
      is_staff: user.isStaff,
      is_superuser: user.isSuperuser,
      is_verified: user.isVerified,
      date_joined: user.dateJoined.toISOString(),
    }));
    if (shown.length === 0) return { text: 'no users', json: [] };
    const flags = (row: (typeof shown)[number]) =>
      [
        row.is_active ? 'active' : 'inactive',
        row.is_staff && 'staff',
        row.is_superuser && 'superuser',
        row.is_verified ? 'verified' : 'unverified',
      ]
        .filter(Boolean)
        .join(',');
    const text = table(
      ['id', 'email', 'username', 'flags', 'joined'],
      shown.map((row) => [
        String(row.id),
        row.email,
        row.username,
        flags(row),
        row.date_joined.slice(0, 10),
      ]),
    );
    return { text, json: shown };
  },
};

export const deactivateUserCommand: CommandSpec = {
  name: 'users:deactivate',
  usage: 'users:deactivate --email E',
  description:
    'Sets is_active to false: the user can no longer log in, and their tokens and keys are refused ' +
    '(nothing is deleted).',
  options: { email: { type: 'string' } },
  help: ["--email E                     the user's e-mail address"],
  async run(app: INestApplicationContext, values) {
    const user = await existingUser(app, values.email);
    await app.get(UsersService).update(user, { isActive: false });
    return {
      text: `user ${user.id} (${user.email}) deactivated`,
      json: { id: user.id, email: user.email, is_active: false },
    };
  },
};

/** Columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

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
