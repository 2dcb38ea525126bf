import { type DynamicModule, Module } from '@nestjs/common';
import { GatehouseConfig } from '../config/gatehouse-config';
import { FastapiUsersPasswordService } from './fastapi-users-password.service';
import { PasswordResetTokenGenerator } from './reset-tokens/reset-token-generator';
import { PasswordService } from './password.service';
import { PasswordValidationService } from './password-validation.service';
import {
  defaultPasswordValidators,
  PASSWORD_VALIDATORS,
  type PasswordValidator,
} from './password-validators';

export interface PasswordModuleOptions {
  /**
   * Django's AUTH_PASSWORD_VALIDATORS: receives the built-in list (similarity,
   * minimum length, common, numeric) and returns the list to use. Every
   * validator's messages are reported, as field errors on the DRF surfaces and
   * as the `reason` on fastapi-users'.
   */
  passwordValidators?: (
    defaults: PasswordValidator[],
    config: GatehouseConfig,
  ) => PasswordValidator[] | Promise<PasswordValidator[]>;
}

/** Password rules: the validators, change, reset by mail and its token generators. Global. */
@Module({})
export class PasswordModule {
  static forRoot(options: PasswordModuleOptions = {}): DynamicModule {
    return {
      global: true,
      module: PasswordModule,
      providers: [
        {
          provide: PASSWORD_VALIDATORS,
          inject: [GatehouseConfig],
          useFactory: (config: GatehouseConfig) => {
            const defaults = defaultPasswordValidators();
            return options.passwordValidators
              ? options.passwordValidators(defaults, config)
              : defaults;
          },
        },
        PasswordValidationService,
        PasswordService,
        PasswordResetTokenGenerator,
        FastapiUsersPasswordService,
      ],
      exports: [
        PASSWORD_VALIDATORS,
        PasswordValidationService,
        PasswordService,
        PasswordResetTokenGenerator,
        FastapiUsersPasswordService,
      ],
    };
  }
}
