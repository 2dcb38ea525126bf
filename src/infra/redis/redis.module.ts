import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { GatehouseConfig } from '../../config/gatehouse-config';

/** The shared ioredis client, or null without REDIS_URL (every feature then has a single-instance default). */
export const REDIS = Symbol('REDIS');

const logger = new Logger('Redis');

/**
 * One fail-fast connection for the features that share state across instances:
 * no offline queue, so while Redis is away a command fails at once (each feature
 * then falls back to its single-instance default) instead of waiting in memory;
 * ioredis keeps reconnecting in the background. Connection errors are logged
 * once per outage, never thrown. ioredis is loaded only with REDIS_URL.
 * A feature that needs a connection of another kind (a subscriber, BullMQ's
 * worker) takes `redis.duplicate(...)`.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [GatehouseConfig],
      useFactory: async (config: GatehouseConfig): Promise<Redis | null> => {
        if (!config.redisUrl) return null;
        const { Redis } = await import('ioredis');
        const client = new Redis(config.redisUrl, {
          lazyConnect: false,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2000,
          // A Redis that hangs (rather than refusing) holds no request longer than this.
          commandTimeout: 1000,
        });
        let warned = false;
        client.on('error', (error: Error) => {
          if (!warned) {
            logger.warn(
              `Redis unavailable (${error.message}): serving on with per-instance fallbacks`,
            );
          }
          warned = true;
        });
        client.on('ready', () => {
          if (warned) logger.log('Redis is back: state is shared across instances again');
          warned = false;
        });
        return client;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/** Whether Redis answers PING (within the connection's command timeout; never throws). */
export function redisAnswers(redis: Redis): Promise<boolean> {
  return redis.ping().then(
    (pong) => pong === 'PONG',
    () => false,
  );
}
