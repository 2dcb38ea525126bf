import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthCache } from './auth-cache.service';
import { AuthGuard } from './auth.guard';
import { AuthSchemeRegistry } from './auth-scheme.registry';
import { CsrfCheck } from '../http/csrf';

/**
 * The global AuthGuard, the registry feature modules add their schemes to, and
 * the cache of users and Token keys the strategies read through, and Django's
 * CSRF check that cookie-authenticated requests pass.
 */
@Global()
@Module({
  providers: [
    AuthSchemeRegistry,
    AuthCache,
    CsrfCheck,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthSchemeRegistry, AuthCache, CsrfCheck],
})
export class AuthModule {}
