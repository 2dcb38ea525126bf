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
