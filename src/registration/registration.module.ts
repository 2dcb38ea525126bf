import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MailModule } from '../mail/mail.module';
import { PasswordModule } from '../password/password.module';
import { EmailConfirmationService } from './email-confirmation.service';
import { FastapiUsersRegistrationController } from './fastapi-users-registration.controller';
import { FastapiUsersRegistrationService } from './fastapi-users-registration.service';
import { RegistrationService } from './registration.service';
import { RestAuthRegistrationController } from './rest-auth-registration.controller';

/** Sign-up on every surface, e-mail confirmation and resend. */
@Module({
  imports: [AccountsModule, PasswordModule, MailModule],
  controllers: [RestAuthRegistrationController, FastapiUsersRegistrationController],
  providers: [RegistrationService, EmailConfirmationService, FastapiUsersRegistrationService],
  exports: [RegistrationService, EmailConfirmationService],
})
export class RegistrationModule {}
