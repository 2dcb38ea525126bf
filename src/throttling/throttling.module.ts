import { Global, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_GUARD } from '@nestjs/core';
import { GatehouseConfig } from '../config/gatehouse-config';
import { REDIS } from '../infra/redis/redis.module';
import { CREDENTIAL_CHECKS } from '../access/auth-scheme';
import { LoginCountedCredentialChecks } from './credential-checks';
import { ThrottlerGuard } from './throttler.guard';
import { MemoryThrottleStore, RedisThrottleStore, THROTTLE_STORE } from './throttle-store';

/**
 * Throttling of every endpoint marked `@Throttled(scope)`, with the rates of
 * DEFAULT_THROTTLE_RATES: counters in memory, or in Redis when REDIS_URL is set
 * so every instance shares them. Global: the credential checks of consumers'
 * `Authorization` schemes (CREDENTIAL_CHECKS) count with the logins.
 */
@Global()
@Module({
  providers: [
    {
      provide: THROTTLE_STORE,
      inject: [REDIS, GatehouseConfig],
      useFactory: (redis: Redis | null, config: GatehouseConfig) =>
        redis ? new RedisThrottleStore(redis, config.redisPrefix) : new MemoryThrottleStore(),
    },
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: CREDENTIAL_CHECKS, useClass: LoginCountedCredentialChecks },
  ],
  exports: [CREDENTIAL_CHECKS, THROTTLE_STORE],
})
export class ThrottlingModule {}
