import { AccessTokenRulesRegistry } from './access-token-rules';
import type { KeyObject } from 'node:crypto';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { JwtSecretRequestType, JwtService } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseConfig } from '../config/gatehouse-config';
import { BlacklistedToken } from './blacklisted-token.entity';
import { DstoqClaimsProvider, JwtClaimsProvider } from './jwt-claims.provider';
import { JwtKeys } from './jwt-keys';
import { JwtAuthService } from './jwt-auth.service';
import { JwtTokenService } from './jwt-token.service';
import { JwtCookieService } from './jwt-cookie.service';
import { JwtCookieStrategy } from './jwt-cookie.strategy';
import { JwtStrategy } from './jwt.strategy';
import { VerifiedTokens } from './verified-tokens';
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

/**
 * @nestjs/jwt's JwtService on Gatehouse's keys: signs with the signing KeyObject
 * and its `kid`, verifies with the key the token's `kid` names, the algorithm pinned.
 */
function jwtServiceFor(keys: JwtKeys): JwtService {
  return new JwtService({
    secretOrKeyProvider: (type, tokenOrPayload) =>
      (type === JwtSecretRequestType.SIGN
        ? keys.signingKey
        : keys.keyFor(tokenOrPayload as string)) as KeyObject,
    signOptions: { algorithm: keys.algorithm, ...(keys.kid ? { keyid: keys.kid } : {}) },
    verifyOptions: { algorithms: [keys.algorithm] },
  });
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
        {
          provide: JwtService,
          inject: [JwtKeys],
          useFactory: jwtServiceFor,
        },
        {
          // Sized like the user cache, and off with it (USER_CACHE_TTL=0).
          provide: VerifiedTokens,
          inject: [GatehouseConfig],
          useFactory: ({ userCache }: GatehouseConfig) =>
            new VerifiedTokens(userCache.ttlSeconds > 0 ? userCache.size : 0),
        },
        JwtTokenService,
        JwtAuthService,
        AccessTokenRulesRegistry,
        JwtStrategy,
        JwtCookieStrategy,
        JwtCookieService,
        LogoutOnPasswordChangeListener,
        FastapiUsersAuthService,
        FastapiUsersTokensService,
      ],
      exports: [
        AccessTokenRulesRegistry,
        JwtService,
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
