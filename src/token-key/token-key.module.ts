import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { RegistrationModule } from '../registration/registration.module';
import { RestAuthController } from './rest-auth.controller';
import { RestAuthService } from './rest-auth.service';
import { TokenKey } from './token-key.entity';
import { TokenKeyService } from './token-key.service';
import { TokenStrategy } from './token.strategy';

/** Persistent `Token` keys (DRF authtoken), the `Token` header scheme, dj-rest-auth login and sign-up. */
@Module({
  imports: [AccountsModule, RegistrationModule, TypeOrmModule.forFeature([TokenKey])],
  controllers: [RestAuthController],
  providers: [TokenKeyService, TokenStrategy, RestAuthService],
  exports: [TokenKeyService],
})
export class TokenKeyModule {}
