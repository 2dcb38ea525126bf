import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseConfig } from '../config/gatehouse-config';
import { AccountInfoService } from './account-info.service';
import { AccountProvider } from './account-provider.entity';
import { AccountProvidersController } from './account-providers.controller';
import { AccountProvidersService } from './account-providers.service';
import { DstoqController } from './dstoq.controller';
import { FastapiUsersService } from './fastapi-users.service';
import { Argon2idHasher } from './hashers/argon2id.hasher';
import { BcryptHasher } from './hashers/bcrypt.hasher';
import { DjangoPbkdf2Hasher } from './hashers/django-pbkdf2.hasher';
import { PASSWORD_HASHERS, type PasswordHasher } from './hashers/password-hasher';
import { PasswordHasherService } from './password-hasher.service';
import { User } from './user.entity';
import { UsersService } from './users.service';
import { UsersAdminController } from './users-admin.controller';
import { UsersAdminService } from './users-admin.service';

/** Users, account providers, password hashing and the credential check. */
@Module({
  imports: [TypeOrmModule.forFeature([User, AccountProvider])],
  controllers: [UsersAdminController, AccountProvidersController, DstoqController],
  providers: [
    {
      // Like Django's PASSWORD_HASHERS: the first hashes, all of them verify.
      provide: PASSWORD_HASHERS,
      inject: [GatehouseConfig],
      useFactory: (config: GatehouseConfig): PasswordHasher[] => [
        new Argon2idHasher(config.argon2),
        new DjangoPbkdf2Hasher(),
        new BcryptHasher(),
      ],
    },
    PasswordHasherService,
    UsersService,
    UsersAdminService,
    AccountProvidersService,
    AccountInfoService,
    FastapiUsersService,
  ],
  exports: [
    UsersService,
    PasswordHasherService,
    AccountProvidersService,
    AccountInfoService,
    FastapiUsersService,
  ],
})
export class AccountsModule {}
