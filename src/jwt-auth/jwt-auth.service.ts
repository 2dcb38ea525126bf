import { Injectable } from '@nestjs/common';
import { LoginService } from '../accounts/login.service';
import type { Surface } from '../common/events/gatehouse-events';
import { GatehouseConfig } from '../config/gatehouse-config';
import { JwtTokenService, type TokenClaims, type TokenPair } from './jwt-token.service';

/**
 * The SimpleJWT views' rules, shared by every surface that speaks them
 * (SimpleJWT's /api/token/…, djoser's /accounts/auth/jwt/…): credentials to a
 * pair, refresh, verify. Refusals are LoginRefused and TokenError.
 */
@Injectable()
export class JwtAuthService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly logins: LoginService,
    private readonly tokens: JwtTokenService,
  ) {}

  async obtainPair(
    identifier: string,
    password: string,
    surface: Surface = 'simplejwt',
  ): Promise<TokenPair> {
    const user = await this.logins.login(identifier, password, {
      surface,
      recordLogin: this.config.jwt.updateLastLogin,
    });
    return this.tokens.issuePair(user);
  }

  refresh(refreshToken: string): Promise<{ access: string; refresh?: string }> {
    return this.tokens.refresh(refreshToken);
  }

  verify(token: string): Promise<TokenClaims> {
    return this.tokens.verifyAny(token);
  }
}
