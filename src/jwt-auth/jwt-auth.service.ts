import { HttpStatus, Injectable } from '@nestjs/common';
import { CredentialsService } from '../accounts/local.strategy';
import { UsersService } from '../accounts/users.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { DrfException } from '../common/errors/drf.exception';
import type { Surface } from '../common/events/gatehouse-events';
import { GatehouseEvents } from '../common/events/gatehouse-events.service';
import { JwtTokenService, type TokenClaims, type TokenPair } from './jwt-token.service';
import { NO_ACTIVE_ACCOUNT_BODY, TokenError } from './token-error';

/**
 * The SimpleJWT views' rules, shared by every surface that speaks them
 * (seed 004's /api/token/…, seed 000's /accounts/auth/jwt/…): credentials to a
 * pair, refresh, verify, with SimpleJWT's error bodies.
 */
@Injectable()
export class JwtAuthService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
    private readonly tokens: JwtTokenService,
    private readonly events: GatehouseEvents,
  ) {}

  /** Wrong password, unknown, inactive or blocked user: one answer, one timing. */
  async obtainPair(
    identifier: string,
    password: string,
    surface: Surface = 'simplejwt',
  ): Promise<TokenPair> {
    const user = await this.credentials.check(identifier, password);
    if (!user || !user.isActive || user.isBlocked) {
      await this.events.loginFailed(surface, identifier, user);
      throw DrfException.detail(HttpStatus.UNAUTHORIZED, NO_ACTIVE_ACCOUNT_BODY.detail);
    }
    if (this.config.jwt.updateLastLogin) await this.users.recordLogin(user);
    await this.events.loggedIn(surface, user);
    return this.tokens.issuePair(user);
  }

  async refresh(refreshToken: string): Promise<{ access: string; refresh?: string }> {
    try {
      return await this.tokens.refresh(refreshToken);
    } catch (error) {
      throw asDrf(error);
    }
  }

  async verify(token: string): Promise<TokenClaims> {
    try {
      return await this.tokens.verifyAny(token);
    } catch (error) {
      throw asDrf(error);
    }
  }
}

/** SimpleJWT's InvalidToken: 401 `{"detail", "code"}`. */
function asDrf(error: unknown): unknown {
  if (!(error instanceof TokenError)) return error;
  return DrfException.detail(HttpStatus.UNAUTHORIZED, error.message, error.code);
}
