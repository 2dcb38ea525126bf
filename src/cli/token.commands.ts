import type { INestApplicationContext } from '@nestjs/common';
import { JwtTokenService } from '../jwt-auth/jwt-token.service';
import type { CommandSpec } from './command';

export const flushExpiredTokensCommand: CommandSpec = {
  name: 'tokens:flush-expired',
  usage: 'tokens:flush-expired',
  description:
    "Removes expired refresh-token records (SimpleJWT's flushexpiredtokens); the service also does it every TOKEN_FLUSH_INTERVAL seconds.",
  options: {},
  async run(app: INestApplicationContext): Promise<string> {
    const removed = await app.get(JwtTokenService).flushExpired();
    return `removed ${removed} expired refresh tokens`;
  },
};
