import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GatehouseConfig } from '../../config/gatehouse-config';
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
      inject: [GatehouseConfig],
      useFactory: (config: GatehouseConfig) =>
        config.redisUrl ? new RedisThrottleStore(config.redisUrl) : new MemoryThrottleStore(),
    },
    { provide: APP_GUARD, useClass: ThrottlerGuard },
  ],
})
export class ThrottlingModule {}
