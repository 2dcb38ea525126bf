import { HttpStatus, Injectable, type OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { canonicalUuid } from '../accounts/fastapi-users.service';
import { UsersService } from '../accounts/users.service';
import type { AuthSchemeStrategy, CookieAuthStrategy, Principal } from '../common/auth/auth-scheme';
import { AuthSchemeRegistry } from '../common/auth/auth-scheme.registry';
import { DrfException } from '../common/errors/drf.exception';
import { routeDialect } from '../common/errors/dialect.decorators';
import { checkCsrf, isSafeMethod } from '../common/http/csrf';
import { JwtCookieService } from './jwt-cookie.service';
import { JwtTokenService } from './jwt-token.service';
import { TokenError } from './token-error';

/**
 * SimpleJWT's JWTAuthentication for `Authorization: JWT <access>` and
 * `Authorization: Bearer <access>`: an access token (never a refresh token) of a
 * user who still exists and is active. Errors are SimpleJWT's, to the letter.
 */
@Injectable()
export class JwtStrategy implements AuthSchemeStrategy, CookieAuthStrategy, OnModuleInit {
  readonly schemes = ['JWT', 'Bearer'];

  constructor(
    private readonly registry: AuthSchemeRegistry,
    private readonly tokens: JwtTokenService,
    private readonly users: UsersService,
    private readonly cookies: JwtCookieService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
    if (this.cookies.enabled) this.registry.registerCookieStrategy(this);
  }

  async authenticate(
    credentials: string[],
    request: FastifyRequest,
  ): Promise<Omit<Principal, 'scheme'>> {
    if (credentials.length !== 1) {
      throw DrfException.detail(
        HttpStatus.UNAUTHORIZED,
        'Authorization header must contain two space-delimited values',
        'bad_authorization_header',
      );
    }
    return this.authenticateToken(credentials[0], request);
  }

  /**
   * dj-rest-auth's JWTCookieAuthentication (JWT_AUTH_COOKIE): with no
   * `Authorization` header, the access-token cookie authenticates, and an unsafe
   * method must also pass Django's CSRF check. Undefined when there is no cookie.
   */
  async authenticateCookie(
    request: FastifyRequest,
  ): Promise<Omit<Principal, 'scheme'> | undefined> {
    const token = this.cookies.accessToken(request);
    if (token === undefined) return undefined;
    if (!isSafeMethod(request.method)) checkCsrf(request);
    return this.authenticateToken(token, request);
  }

  /** An access token (never a refresh token) of a user who still exists and is active. */
  private async authenticateToken(
    token: string,
    request: FastifyRequest,
  ): Promise<Omit<Principal, 'scheme'>> {
    let claims;
    try {
      claims = await this.tokens.verify(token, 'access');
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      if (routeDialect(request) === 'fastapi') {
        const legacy = await this.fastapiUsersToken(token);
        if (legacy) return legacy;
      }
      throw new DrfException(HttpStatus.UNAUTHORIZED, {
        detail: 'Given token not valid for any token type',
        code: 'token_not_valid',
        messages: [{ token_class: 'AccessToken', token_type: 'access', message: error.message }],
      });
    }
    const user = await this.users.findById(claims.user_id);
    if (!user)
      throw DrfException.detail(HttpStatus.UNAUTHORIZED, 'User not found', 'user_not_found');
    if (!user.isActive || user.isBlocked) {
      throw DrfException.detail(HttpStatus.UNAUTHORIZED, 'User is inactive', 'user_inactive');
    }
    return { user, credential: { claims } };
  }

  /**
   * On fastapi-users' routes, a token its JWTStrategy minted before the move
   * (`{sub, aud, exp}` only) authenticates its active user; undefined otherwise.
   */
  private async fastapiUsersToken(token: string): Promise<Omit<Principal, 'scheme'> | undefined> {
    let sub: string;
    try {
      sub = await this.tokens.verifyFastapiUsersToken(token);
    } catch (error) {
      if (error instanceof TokenError) return undefined;
      throw error;
    }
    const uuid = canonicalUuid(sub);
    const user = uuid ? await this.users.findByUuid(uuid) : null;
    return user && user.isActive && !user.isBlocked ? { user, credential: { sub } } : undefined;
  }
}
