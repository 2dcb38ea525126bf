import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MailModule } from '../mail/mail.module';
import { FastapiUsersPasswordController } from './fastapi-users-password.controller';
import { FastapiUsersPasswordService } from './fastapi-users-password.service';
import { PasswordService } from './password.service';
import { PasswordValidationService } from './password-validation.service';
import { defaultPasswordValidators, PASSWORD_VALIDATORS } from './password-validators';

/** Password rules: Django's validators and password change (reset arrives with seed 003's mail). */
@Module({
  imports: [AccountsModule, MailModule],
  controllers: [FastapiUsersPasswordController],
  providers: [
    PasswordService,
    FastapiUsersPasswordService,
    { provide: PASSWORD_VALIDATORS, useFactory: defaultPasswordValidators },
    PasswordValidationService,
  ],
  exports: [PasswordValidationService, PasswordService, FastapiUsersPasswordService],
})
export class PasswordModule {}
