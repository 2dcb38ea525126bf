import { Module } from '@nestjs/common';
import { RestAuthPasswordController } from './password.controller';
import { RestAuthRegistrationController } from './registration.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { RestAuthController } from './rest-auth.controller';
import { RestAuthService } from './rest-auth.service';
import { RestAuthSessionsController } from './sessions.controller';
import { RestAuthMfaController } from './mfa.controller';

/**
 * Seeds 002 and 003's surface: dj-rest-auth (Token and JWT flavours) with its
 * registration and password views, and seed 002's trader dashboard.
 */
@Module({
  controllers: [
    RestAuthController,
    RestAuthRegistrationController,
    RestAuthPasswordController,
    RestAuthSessionsController,
    RestAuthMfaController,
    DashboardController,
  ],
  providers: [RestAuthService],
})
export class RestAuthSurfaceModule {}
