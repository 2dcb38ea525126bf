import { Module } from '@nestjs/common';
import { PasswordModule } from '../password/password.module';
import { AccountsModule } from './accounts.module';
import { FastapiUsersUsersController } from './fastapi-users-users.controller';
import { FastapiUsersUsersService } from './fastapi-users-users.service';
import { KycResourceController } from './kyc-resource.controller';

/**
 * Seed 001's user endpoints: fastapi-users' users router and the KYC example
 * resource. Apart from AccountsModule because a password change needs
 * PasswordModule's validators, and PasswordModule needs AccountsModule.
 */
@Module({
  imports: [AccountsModule, PasswordModule],
  controllers: [FastapiUsersUsersController, KycResourceController],
  providers: [FastapiUsersUsersService],
})
export class FastapiUsersUsersModule {}
