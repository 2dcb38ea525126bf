import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseConfig } from '../config/gatehouse-config';
import { AccountInfoService } from './account-info.service';
import { AccountProvider } from './account-provider.entity';
import { AccountProvidersService } from './account-providers.service';
import { FastapiUsersService } from './fastapi-users.service';
import { CredentialsService } from './credentials.service';
import { LocalStrategy } from './local.strategy';
import { Argon2idHasher } from './hashers/argon2id.hasher';
import { BcryptHasher } from './hashers/bcrypt.hasher';
import { DjangoPbkdf2Hasher } from './hashers/django-pbkdf2.hasher';
import { PASSWORD_HASHERS, type PasswordHasher } from './hashers/password-hasher';
import { MissedIdentities } from './missed-identities';
import { PasswordHasherService } from './password-hasher.service';
import { User } from './user.entity';
import { UserSerializer } from './user-serializer';
import { UsersService } from './users.service';
import { LoginService } from './login.service';
import { THROTTLE_ACCOUNTS } from '../throttling/client-identity';

export interface AccountsModuleOptions {
  /**
   * Django's PASSWORD_HASHERS: receives the built-in list (argon2id, Django's
   * PBKDF2, bcrypt) and returns the list to use. The first one hashes new
   * passwords; every one verifies, and a login re-hashes with the first.
   */
  passwordHashers?: (defaults: PasswordHasher[], config: GatehouseConfig) => PasswordHasher[];
  /** Adds fields to the user endpoints and writes extra ones (see UserSerializer). */
  userSerializer?: Type<UserSerializer>;
}

/** The built-in hashers, preferred first. */
export function defaultPasswordHashers(config: GatehouseConfig): PasswordHasher[] {
  return [new Argon2idHasher(config.argon2), new DjangoPbkdf2Hasher(), new BcryptHasher()];
}

/**
 * Users, account providers, password hashing and the credential check. Global:
 * every other Gatehouse module (and a consumer's) injects its services.
 */
@Module({})
export class AccountsModule {
  static forRoot(options: AccountsModuleOptions = {}): DynamicModule {
    return {
      global: true,
      module: AccountsModule,
      imports: [TypeOrmModule.forFeature([User, AccountProvider])],
      providers: [
        {
          provide: PASSWORD_HASHERS,
          inject: [GatehouseConfig],
          useFactory: (config: GatehouseConfig): PasswordHasher[] => {
            const defaults = defaultPasswordHashers(config);
            return options.passwordHashers ? options.passwordHashers(defaults, config) : defaults;
          },
        },
        { provide: UserSerializer, useClass: options.userSerializer ?? UserSerializer },
        PasswordHasherService,
        MissedIdentities,
        UsersService,
        LoginService,
        AccountProvidersService,
        AccountInfoService,
        FastapiUsersService,
        LocalStrategy,
        CredentialsService,
        // The throttle counts an account, not the way it was typed (e-mail or username).
        { provide: THROTTLE_ACCOUNTS, useExisting: UsersService },
      ],
      exports: [
        CredentialsService,
        THROTTLE_ACCOUNTS,
        PASSWORD_HASHERS,
        UserSerializer,
        PasswordHasherService,
        MissedIdentities,
        UsersService,
        LoginService,
        AccountProvidersService,
        AccountInfoService,
        FastapiUsersService,
      ],
    };
  }
}
