import { Module } from '@nestjs/common';
import { RestAuthPasswordController } from '../password/rest-auth-password.controller';
import { RestAuthRegistrationController } from '../registration/rest-auth-registration.controller';
import { DashboardController } from './dashboard.controller';
import { RestAuthController } from './rest-auth.controller';

/**
 * Seeds 002 and 003's surface: dj-rest-auth (Token and JWT flavours) with its
 * registration and password views, and seed 002's trader dashboard.
 */
@Module({
  controllers: [
    RestAuthController,
    RestAuthRegistrationController,
    RestAuthPasswordController,
    DashboardController,
  ],
})
export class RestAuthSurfaceModule {}
