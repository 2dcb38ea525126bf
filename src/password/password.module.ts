import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MailModule } from '../mail/mail.module';
import { PasswordResetTokenGenerator } from './password-reset-token';
import { FastapiUsersPasswordController } from './fastapi-users-password.controller';
import { FastapiUsersPasswordService } from './fastapi-users-password.service';
import { PasswordService } from './password.service';
import { PasswordValidationService } from './password-validation.service';
import { defaultPasswordValidators, PASSWORD_VALIDATORS } from './password-validators';
import { RestAuthPasswordController } from './rest-auth-password.controller';

/** Password rules: Django's validators, change, reset by mail and its token generator. */
@Module({
  imports: [AccountsModule, MailModule],
  controllers: [RestAuthPasswordController, FastapiUsersPasswordController],
  providers: [
    PasswordService,
    PasswordResetTokenGenerator,
    FastapiUsersPasswordService,
    { provide: PASSWORD_VALIDATORS, useFactory: defaultPasswordValidators },
    PasswordValidationService,
  ],
  exports: [PasswordValidationService, PasswordService, FastapiUsersPasswordService],
})
export class PasswordModule {}
