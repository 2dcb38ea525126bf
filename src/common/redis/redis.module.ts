import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { GatehouseConfig } from '../../config/gatehouse-config';

/** The shared ioredis client, or null without REDIS_URL (every feature then has a single-instance default). */
export const REDIS = Symbol('REDIS');

const logger = new Logger('Redis');

/**
 * One Redis connection for the features that share state across instances.
 * Connection errors are logged, never thrown: a Redis outage degrades those
 * features to their fallbacks instead of failing requests.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [GatehouseConfig],
      useFactory: (config: GatehouseConfig): Redis | null => {
        if (!config.redisUrl) return null;
        const client = new Redis(config.redisUrl, {
          lazyConnect: false,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2000,
        });
        let warned = false;
        client.on('error', (error: Error) => {
          if (!warned) logger.warn(`Redis unavailable: ${error.message}`);
          warned = true;
        });
        client.on('ready', () => {
          if (warned) logger.log('Redis is back');
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
