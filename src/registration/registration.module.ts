import { type DynamicModule, Module } from '@nestjs/common';
import { EmailConfirmationService } from './email-confirmation.service';
import { FastapiUsersRegistrationService } from './fastapi-users-registration.service';
import { RegistrationService } from './registration.service';
import { DjoserUsersService } from './djoser-users.service';

/** Sign-up on every surface, e-mail confirmation and resend. Global. */
@Module({})
export class RegistrationModule {
  static forRoot(): DynamicModule {
    return {
      global: true,
      module: RegistrationModule,
      providers: [
        RegistrationService,
        EmailConfirmationService,
        FastapiUsersRegistrationService,
        DjoserUsersService,
      ],
      exports: [
        RegistrationService,
        EmailConfirmationService,
        FastapiUsersRegistrationService,
        DjoserUsersService,
      ],
    };
  }
}
