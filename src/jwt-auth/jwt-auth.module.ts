import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { GatehouseConfig } from '../config/gatehouse-config';
import { BlacklistedToken } from './blacklisted-token.entity';
import { DstoqClaimsProvider, JwtClaimsProvider } from './jwt-claims.provider';
import { JwtKeys } from './jwt-keys';
import { JwtAuthService } from './jwt-auth.service';
import { JwtTokenService } from './jwt-token.service';
import { JwtStrategy } from './jwt.strategy';
import { JwksController } from './jwks.controller';
import { OutstandingToken } from './outstanding-token.entity';
import { SimpleJwtController } from './simplejwt.controller';
import { TokenFlushService } from './token-flush.service';

/** JWTs: issue, verify, refresh, blacklist; the JWT/Bearer schemes; seed 004; JWKS. */
@Module({
  imports: [AccountsModule, TypeOrmModule.forFeature([OutstandingToken, BlacklistedToken])],
  controllers: [SimpleJwtController, JwksController],
  providers: [
    {
      provide: JwtKeys,
      inject: [GatehouseConfig],
      useFactory: (config: GatehouseConfig) => JwtKeys.fromConfig(config.jwt),
    },
    {
      provide: JwtClaimsProvider,
      inject: [GatehouseConfig],
      useFactory: (config: GatehouseConfig) =>
        config.jwt.claims === 'dstoq' ? new DstoqClaimsProvider() : new JwtClaimsProvider(),
    },
    JwtTokenService,
    JwtAuthService,
    JwtStrategy,
    TokenFlushService,
  ],
  exports: [JwtTokenService, JwtAuthService, JwtKeys],
})
export class JwtAuthModule {}
