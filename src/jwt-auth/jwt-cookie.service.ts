import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseCookies, serializeCookie } from '../common/http/cookies';
import { ensureCsrfToken } from '../common/http/csrf';
import { GatehouseConfig } from '../config/gatehouse-config';

/**
 * dj-rest-auth's cookie mode: JWT_AUTH_COOKIE / JWT_AUTH_REFRESH_COOKIE name
 * HttpOnly, SameSite=Lax cookies that login and refresh set, that authenticate
 * requests in place of the `Authorization` header, and that logout clears.
 * Off (every method a no-op) when neither name is configured.
 */
@Injectable()
export class JwtCookieService {
  constructor(private readonly config: GatehouseConfig) {}

  /** Whether the access cookie authenticates requests. */
  get enabled(): boolean {
    return this.config.jwtCookies.access !== undefined;
  }

  accessToken(request: FastifyRequest): string | undefined {
    return this.read(request, this.config.jwtCookies.access);
  }

  refreshToken(request: FastifyRequest): string | undefined {
    return this.read(request, this.config.jwtCookies.refresh);
  }

  /** Sets the cookies of the tokens given, and the CSRF cookie their use will need. */
  setTokens(
    request: FastifyRequest,
    reply: FastifyReply,
    tokens: { access?: string; refresh?: string },
  ): void {
    const { access, refresh, secure } = this.config.jwtCookies;
    if (!access && !refresh) return;
    if (access && tokens.access) {
      reply.header(
        'Set-Cookie',
        this.cookie(access, tokens.access, this.config.jwt.accessTokenLifetime),
      );
    }
    if (refresh && tokens.refresh) {
      reply.header(
        'Set-Cookie',
        this.cookie(refresh, tokens.refresh, this.config.jwt.refreshTokenLifetime),
      );
    }
    ensureCsrfToken(request, reply, secure);
  }

  /** Logout: both cookies expire at once. */
  clear(reply: FastifyReply): void {
    for (const name of [this.config.jwtCookies.access, this.config.jwtCookies.refresh]) {
      if (name) reply.header('Set-Cookie', this.cookie(name, '', 0));
    }
  }

  private cookie(name: string, value: string, maxAge: number): string {
    return serializeCookie(name, value, {
      maxAge,
      httpOnly: true,
      secure: this.config.jwtCookies.secure,
      sameSite: 'Lax',
    });
  }

  private read(request: FastifyRequest, name: string | undefined): string | undefined {
    if (!name) return undefined;
    const value = parseCookies(request.headers.cookie)[name];
    return value ? value : undefined;
  }
}
