import { Module } from '@nestjs/common';
import { FastapiUsersUsersController } from '../accounts/fastapi-users-users.controller';
import { FastapiUsersUsersService } from '../accounts/fastapi-users-users.service';
import { KycResourceController } from '../accounts/kyc-resource.controller';
import { FastapiUsersPasswordController } from '../password/fastapi-users-password.controller';
import { FastapiUsersRegistrationController } from '../registration/fastapi-users-registration.controller';
import { FastapiUsersController } from './fastapi-users.controller';

/** Seed 001's surface: fastapi-users' auth, register, reset, verify and users routers, in FastAPI's dialect. */
@Module({
  controllers: [
    FastapiUsersController,
    FastapiUsersRegistrationController,
    FastapiUsersPasswordController,
    FastapiUsersUsersController,
    KycResourceController,
  ],
  providers: [FastapiUsersUsersService],
})
export class FastapiUsersSurfaceModule {}
