import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { TokenKey } from './token-key.entity';
import { TokenKeyService } from './token-key.service';
import { TokenStrategy } from './token.strategy';

/** Persistent `Token` keys (DRF authtoken) and the `Token` header scheme. */
@Module({
  imports: [AccountsModule, TypeOrmModule.forFeature([TokenKey])],
  providers: [TokenKeyService, TokenStrategy],
  exports: [TokenKeyService],
})
export class TokenKeyModule {}
