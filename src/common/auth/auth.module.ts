import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AuthSchemeRegistry } from './auth-scheme.registry';

/** The global AuthGuard and the registry feature modules add their schemes to. */
@Global()
@Module({
  providers: [AuthSchemeRegistry, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthSchemeRegistry],
})
export class AuthModule {}
