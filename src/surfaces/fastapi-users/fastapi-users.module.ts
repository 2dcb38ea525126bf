import { Module } from '@nestjs/common';
import { FastapiUsersUsersController } from './users.controller';
import { FastapiUsersUsersService } from './users.service';
import { FastapiUsersTokenRules } from './fastapi-users.token-rules';
import { KycResourceController } from './kyc-resource.controller';
import { FastapiUsersPasswordController } from './password.controller';
import { FastapiUsersRegistrationController } from './registration.controller';
import { FastapiUsersController } from './auth.controller';
import { FastapiUsersSessionsController } from './sessions.controller';
import { FastapiUsersMfaController } from './mfa.controller';

/** Seed 001's surface: fastapi-users' auth, register, reset, verify and users routers, in FastAPI's dialect. */
@Module({
  controllers: [
    FastapiUsersController,
    FastapiUsersRegistrationController,
    FastapiUsersPasswordController,
    FastapiUsersUsersController,
    FastapiUsersSessionsController,
    FastapiUsersMfaController,
    KycResourceController,
  ],
  providers: [FastapiUsersUsersService, FastapiUsersTokenRules],
})
export class FastapiUsersSurfaceModule {}
