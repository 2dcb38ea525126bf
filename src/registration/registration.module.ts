import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { PasswordModule } from '../password/password.module';
import { RegistrationService } from './registration.service';

/** Sign-up on every surface (e-mail verification arrives with seed 003). */
@Module({
  imports: [AccountsModule, PasswordModule],
  providers: [RegistrationService],
  exports: [RegistrationService],
})
export class RegistrationModule {}
