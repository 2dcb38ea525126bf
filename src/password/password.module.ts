import { Module } from '@nestjs/common';
import { PasswordValidationService } from './password-validation.service';
import { defaultPasswordValidators, PASSWORD_VALIDATORS } from './password-validators';

/** Password rules: Django's validators (reset and change arrive with seed 003). */
@Module({
  providers: [
    { provide: PASSWORD_VALIDATORS, useFactory: defaultPasswordValidators },
    PasswordValidationService,
  ],
  exports: [PasswordValidationService],
})
export class PasswordModule {}
