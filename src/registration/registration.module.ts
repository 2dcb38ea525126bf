import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MailModule } from '../mail/mail.module';
import { PasswordModule } from '../password/password.module';
import { FastapiUsersRegistrationController } from './fastapi-users-registration.controller';
import { FastapiUsersRegistrationService } from './fastapi-users-registration.service';
import { RegistrationService } from './registration.service';

/** Sign-up on every surface (e-mail verification arrives with seed 003). */
@Module({
  imports: [AccountsModule, PasswordModule, MailModule],
  controllers: [FastapiUsersRegistrationController],
  providers: [RegistrationService, FastapiUsersRegistrationService],
  exports: [RegistrationService],
})
export class RegistrationModule {}
