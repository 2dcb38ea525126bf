import { Injectable } from '@nestjs/common';
import { type HttpReply, type HttpRequest, setHeader } from '../http/http-seam';
import { parseCookies, serializeCookie } from '../http/cookies';
import { CsrfCheck, ensureCsrfToken } from '../http/csrf';
import { GatehouseConfig } from '../config/gatehouse-config';

/** The answer header that hands the CSRF token to a page on another site, which cannot read the cookie. */
export const CSRF_TOKEN_HEADER = 'X-CSRFToken';

/**
 * dj-rest-auth's cookie mode: JWT_AUTH_COOKIE / JWT_AUTH_REFRESH_COOKIE name
 * HttpOnly cookies (SameSite from JWT_AUTH_SAMESITE, Secure from
 * JWT_AUTH_SECURE) that login and refresh set, that authenticate requests in
 * place of the `Authorization` header, and that logout clears. Off (every
 * method a no-op) when neither name is configured.
 */
@Injectable()
export class JwtCookieService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly csrf: CsrfCheck,
  ) {}

  /** Whether the access cookie authenticates requests. */
  get enabled(): boolean {
    return this.config.jwtCookies.access !== undefined;
  }

  accessToken(request: HttpRequest): string | undefined {
    return this.read(request, this.config.jwtCookies.access);
  }

  refreshToken(request: HttpRequest): string | undefined {
    return this.read(request, this.config.jwtCookies.refresh);
  }

  /**
   * The refresh cookie's token for logout, which revokes it: a request with no
   * `Authorization` header (which no cross-site form can send) must first pass
   * the CSRF check, as one the access cookie authenticates does.
   * @throws CsrfFailed
   */
  refreshTokenToRevoke(request: HttpRequest): string | undefined {
    const token = this.refreshToken(request);
    if (token !== undefined && !request.headers.authorization?.trim()) this.csrf.check(request);
    return token;
  }

  /**
   * Sets the cookies of the tokens given, and the CSRF cookie their use will
   * need; its token also goes out in `X-CSRFToken`, for a frontend on another
   * site (CORS exposes the header to CORS_ALLOWED_ORIGINS only).
   */
  setTokens(
    request: HttpRequest,
    reply: HttpReply,
    tokens: { access?: string; refresh?: string },
  ): void {
    const { access, refresh } = this.config.jwtCookies;
    if (!access && !refresh) return;
    if (access && tokens.access) {
      setHeader(
        reply,
        'Set-Cookie',
        this.cookie(access, tokens.access, this.config.jwt.accessTokenLifetime),
      );
    }
    if (refresh && tokens.refresh) {
      setHeader(
        reply,
        'Set-Cookie',
        this.cookie(refresh, tokens.refresh, this.config.jwt.refreshTokenLifetime),
      );
    }
    setHeader(reply, CSRF_TOKEN_HEADER, ensureCsrfToken(request, reply, this.attributes()));
  }

  /** Logout: both cookies expire at once. */
  clear(reply: HttpReply): void {
    for (const name of [this.config.jwtCookies.access, this.config.jwtCookies.refresh]) {
      if (name) setHeader(reply, 'Set-Cookie', this.cookie(name, '', 0));
    }
  }

  private cookie(name: string, value: string, maxAge: number): string {
    return serializeCookie(name, value, { maxAge, httpOnly: true, ...this.attributes() });
  }

  /** What the JWT cookies and their CSRF cookie share (Django's CSRF_COOKIE_SECURE/SAMESITE follow suit). */
  private attributes() {
    const { secure, sameSite = 'Lax' } = this.config.jwtCookies;
    return { secure, sameSite };
  }

  private read(request: HttpRequest, name: string | undefined): string | undefined {
    if (!name) return undefined;
    const value = parseCookies(request.headers.cookie)[name];
    return value ? value : undefined;
  }
}
