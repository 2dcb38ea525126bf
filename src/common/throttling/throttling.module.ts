import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_GUARD } from '@nestjs/core';
import { GatehouseConfig } from '../../config/gatehouse-config';
import { REDIS } from '../redis/redis.module';
import { ThrottlerGuard } from './throttler.guard';
import { MemoryThrottleStore, RedisThrottleStore, THROTTLE_STORE } from './throttle-store';

/**
 * Throttling of every endpoint marked `@Throttled(scope)`, with the rates of
 * DEFAULT_THROTTLE_RATES: counters in memory, or in Redis when REDIS_URL is set
 * so every instance shares them.
 */
@Module({
  providers: [
    {
      provide: THROTTLE_STORE,
      inject: [REDIS, GatehouseConfig],
      useFactory: (redis: Redis | null, config: GatehouseConfig) =>
        redis ? new RedisThrottleStore(redis, config.redisPrefix) : new MemoryThrottleStore(),
    },
    { provide: APP_GUARD, useClass: ThrottlerGuard },
  ],
})
export class ThrottlingModule {}
