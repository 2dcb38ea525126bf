import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthCache } from './auth-cache.service';
import { AuthGuard } from './auth.guard';
import { AuthSchemeRegistry } from './auth-scheme.registry';

/**
 * The global AuthGuard, the registry feature modules add their schemes to, and
 * the cache of users and Token keys the strategies read through.
 */
@Global()
@Module({
  providers: [AuthSchemeRegistry, AuthCache, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthSchemeRegistry, AuthCache],
})
export class AuthModule {}
