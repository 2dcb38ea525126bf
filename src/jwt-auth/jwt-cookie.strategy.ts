import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { HttpRequest } from '../http/http-seam';
import { Strategy } from 'passport-jwt';
import { UsersService } from '../accounts/users.service';
import { AuthCache } from '../access/auth-cache.service';
import type { MaybePromise } from '../infra/when-ready';
import type { AuthenticatedUser } from '../access/auth-scheme';
import { AuthSchemeRegistry } from '../access/auth-scheme.registry';
import { CsrfCheck } from '../http/csrf';
import { JwtCookieService } from './jwt-cookie.service';
import { SessionsService } from '../sessions/sessions.service';
import { JwtKeys } from './jwt-keys';
import {
  accessTokenOptions,
  authenticateAccessToken,
  notValidForAnyTokenType,
} from './jwt.strategy';

export const JWT_COOKIE_STRATEGY = 'gatehouse-jwt-cookie';

/**
 * dj-rest-auth's JWTCookieAuthentication (JWT_AUTH_COOKIE) on passport-jwt: with
 * no `Authorization` header, the access-token cookie authenticates, and an unsafe
 * method must first pass Django's CSRF check (Origin, then token) before the
 * token is verified. No cookie: no credentials.
 */
@Injectable()
export class JwtCookieStrategy
  extends PassportStrategy(Strategy, JWT_COOKIE_STRATEGY)
  implements OnModuleInit
{
  constructor(
    private readonly registry: AuthSchemeRegistry,
    private readonly users: UsersService,
    private readonly cookies: JwtCookieService,
    private readonly cache: AuthCache,
    private readonly sessions: SessionsService,
    csrf: CsrfCheck,
    keys: JwtKeys,
  ) {
    super(
      accessTokenOptions(keys, (request) => {
        const token = cookies.accessToken(request);
        if (token === undefined) return null;
        csrf.check(request);
        return token;
      }),
    );
  }

  onModuleInit(): void {
    if (!this.cookies.enabled) return;
    this.registry.registerCookieScheme({
      schemes: [],
      strategy: this,
      failure: (request) =>
        this.cookies.accessToken(request) === undefined
          ? undefined
          : notValidForAnyTokenType('Token is invalid or expired'),
    });
  }

  validate(request: HttpRequest, payload: unknown): MaybePromise<AuthenticatedUser> {
    return authenticateAccessToken(this.users, this.cache, this.sessions, request, payload);
  }
}
