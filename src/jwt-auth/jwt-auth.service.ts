import { Injectable } from '@nestjs/common';
import { LoginService, type LoginStep } from '../accounts/login.service';
import { GatehouseEvent, type Surface, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { JwtTokenService, type TokenClaims, type TokenPair } from './jwt-token.service';
import { TokenError } from './token-error';

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
    private readonly events: GatehouseEvents,
  ) {}

  async obtainPair(
    identifier: string,
    password: string,
    surface: Surface = 'simplejwt',
  ): Promise<TokenPair> {
    return this.obtain({ identifier, password }, surface);
  }

  /**
   * Either step of the login (LoginStep): the credentials, or a multi-factor
   * challenge's token and code; the pair of the second step carries `amr`.
   * @throws LoginRefused, MfaRequired, SecondFactorRefused
   */
  async obtain(step: LoginStep, surface: Surface = 'simplejwt'): Promise<TokenPair> {
    const { user, amr } = await this.logins.authenticate(step, {
      surface,
      recordLogin: this.config.jwt.updateLastLogin,
    });
    return this.tokens.issuePair(user, { surface, amr });
  }

  /** A new access token (and refresh token, with rotation); announced, refused or not. */
  async refresh(
    refreshToken: string,
    surface: Surface = 'simplejwt',
  ): Promise<{ access: string; refresh?: string }> {
    try {
      const { user, ...tokens } = await this.tokens.refresh(refreshToken, surface);
      await this.events.emit(GatehouseEvent.tokenRefreshed, { ...userRef(user), surface });
      return tokens;
    } catch (error) {
      if (error instanceof TokenError) {
        await this.events.emit(GatehouseEvent.tokenRefreshFailed, {
          surface,
          reason: error.message === 'Token is blacklisted' ? 'blacklisted' : error.code,
        });
      }
      throw error;
    }
  }

  verify(token: string): Promise<TokenClaims> {
    return this.tokens.verifyAny(token);
  }
}
