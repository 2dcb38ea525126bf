import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseConfig } from '../config/gatehouse-config';
import { BlacklistedToken } from './blacklisted-token.entity';
import { DstoqClaimsProvider, JwtClaimsProvider } from './jwt-claims.provider';
import { JwtKeys } from './jwt-keys';
import { JwtAuthService } from './jwt-auth.service';
import { JwtTokenService } from './jwt-token.service';
import { JwtCookieService } from './jwt-cookie.service';
import { JwtStrategy } from './jwt.strategy';
import { LogoutOnPasswordChangeListener } from './logout-on-password-change.listener';
import { FastapiUsersAuthService } from './fastapi-users-auth.service';
import { FastapiUsersTokensService } from './fastapi-users-tokens.service';
import { OutstandingToken } from './outstanding-token.entity';

export interface JwtAuthModuleOptions {
  /**
   * The custom-claims hook. By default JWT_CLAIMS picks the built-in provider
   * (`none` or `dstoq`); a class given here replaces it.
   */
  claimsProvider?: Type<JwtClaimsProvider>;
}

/** JWTs: issue, verify, refresh, blacklist; the JWT/Bearer schemes; seed 004; seed 001's login; JWKS. */
@Module({})
export class JwtAuthModule {
  static forRoot(options: JwtAuthModuleOptions = {}): DynamicModule {
    return {
      // Global: the one token service (with the app's claims hook) serves every surface.
      global: true,
      module: JwtAuthModule,
      imports: [TypeOrmModule.forFeature([OutstandingToken, BlacklistedToken])],
      providers: [
        {
          provide: JwtKeys,
          inject: [GatehouseConfig],
          useFactory: (config: GatehouseConfig) => JwtKeys.fromConfig(config.jwt),
        },
        options.claimsProvider
          ? { provide: JwtClaimsProvider, useClass: options.claimsProvider }
          : {
              provide: JwtClaimsProvider,
              inject: [GatehouseConfig],
              useFactory: (config: GatehouseConfig) =>
                config.jwt.claims === 'dstoq' ? new DstoqClaimsProvider() : new JwtClaimsProvider(),
            },
        JwtTokenService,
        JwtAuthService,
        JwtStrategy,
        JwtCookieService,
        LogoutOnPasswordChangeListener,
        FastapiUsersAuthService,
        FastapiUsersTokensService,
      ],
      exports: [
        JwtTokenService,
        JwtAuthService,
        JwtKeys,
        JwtCookieService,
        JwtClaimsProvider,
        FastapiUsersTokensService,
        FastapiUsersAuthService,
      ],
    };
  }
}
