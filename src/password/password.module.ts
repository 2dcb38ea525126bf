import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { PasswordService } from './password.service';
import { PasswordValidationService } from './password-validation.service';
import { defaultPasswordValidators, PASSWORD_VALIDATORS } from './password-validators';

/** Password rules: Django's validators and password change (reset arrives with seed 003's mail). */
@Module({
  imports: [AccountsModule],
  providers: [
    PasswordService,
    { provide: PASSWORD_VALIDATORS, useFactory: defaultPasswordValidators },
    PasswordValidationService,
  ],
  exports: [PasswordValidationService, PasswordService],
})
export class PasswordModule {}
