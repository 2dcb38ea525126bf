import type { INestApplicationContext } from '@nestjs/common';
import { JwtTokenService } from '../jwt-auth/jwt-token.service';
import { TokenKeyService } from '../token-key/token-key.service';
import { UsageError, type CommandSpec } from './command';
import { existingUser } from './user.commands';

export const flushExpiredTokensCommand: CommandSpec = {
  name: 'tokens:flush-expired',
  usage: 'tokens:flush-expired',
  description:
    "Removes expired refresh-token records (SimpleJWT's flushexpiredtokens); the service also does it every TOKEN_FLUSH_INTERVAL seconds.",
  options: {},
  async run(app: INestApplicationContext) {
    const removed = await app.get(JwtTokenService).flushExpired();
    return { text: `removed ${removed} expired refresh tokens`, json: { removed } };
  },
};

export const createTokenCommand: CommandSpec = {
  name: 'tokens:create',
  usage: 'tokens:create --email E [--name N]',
  description:
    "Mints a Token key for a user (DRF's drf_create_token) and prints it, once: only its SHA-256 is " +
    'stored. Send it as `Authorization: Token <key>`; a user may hold several.',
  options: { email: { type: 'string' }, name: { type: 'string' } },
  help: [
    "--email E                     the user's e-mail address",
    '--name N                      a label to tell the key from the user’s others (100 characters at most)',
  ],
  async run(app: INestApplicationContext, values) {
    const name = values.name as string | undefined;
    if (name !== undefined && (name.trim() === '' || name.length > 100)) {
      throw new UsageError('--name must be 1 to 100 characters');
    }
    const user = await existingUser(app, values.email);
    if (!user.isActive || user.isBlocked) {
      throw new UsageError(`user ${user.id} is inactive or blocked: a key would be refused`);
    }
    const { key } = await app
      .get(TokenKeyService)
      .mint(user, { name: name?.trim() ?? null, via: 'cli' });
    return { text: key, json: { key, user_id: user.id } };
  },
};

export const revokeTokenCommand: CommandSpec = {
  name: 'tokens:revoke',
  usage: 'tokens:revoke (--key K | --email E)',
  description:
    "Revokes a Token key (DRF's Token deleted in the admin): the one given, or every key of a user. " +
    'It is refused from then on, on every instance (within USER_CACHE_TTL, at once with REDIS_URL).',
  options: { key: { type: 'string' }, email: { type: 'string' } },
  help: [
    '--key K                       the key to revoke, as its holder sends it',
    "--email E                     revoke every key of this user (the user's e-mail address)",
  ],
  async run(app: INestApplicationContext, values) {
    const key = values.key as string | undefined;
    if ((key === undefined) === (values.email === undefined)) {
      throw new UsageError('give either --key or --email');
    }
    const keys = app.get(TokenKeyService);
    if (key !== undefined) {
      const found = /^[0-9a-f]{40}$/i.test(key) ? await keys.find(key) : null;
      if (!found) throw new UsageError('--key: no such Token key');
      await keys.revoke(found.id);
      return {
        text: `revoked 1 key of user ${found.userId}`,
        json: { revoked: 1, user_id: found.userId },
      };
    }
    const user = await existingUser(app, values.email);
    const revoked = await keys.revokeAllFor(user.id);
    return {
      text: `revoked ${revoked} keys of user ${user.id}`,
      json: { revoked, user_id: user.id },
    };
  },
};
