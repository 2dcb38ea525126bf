import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DRF_MESSAGES, DrfException } from '../errors/drf.exception';
import { ACCESS_LEVEL, type AccessLevel } from './access.decorators';
import type { Principal } from './auth-scheme';
import { AuthSchemeRegistry } from './auth-scheme.registry';

/**
 * The one authentication guard. It reads `Authorization: <scheme> <credential>`,
 * runs the passport strategy registered for the scheme, and checks the route's
 * access level. A missing header or an unknown scheme is "not provided", as DRF
 * treats an authenticator that does not recognise the header.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: AuthSchemeRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level =
      this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_LEVEL, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'authenticated';
    if (level === 'public') return true;

    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const principal = await this.authenticate(request, http.getResponse<FastifyReply>());
    if (!principal) {
      throw DrfException.detail(HttpStatus.UNAUTHORIZED, DRF_MESSAGES.notAuthenticated);
    }
    request.principal = principal;

    if (level === 'staff' && !principal.user.isStaff) throw DrfException.permissionDenied();
    if (level === 'superuser' && !principal.user.isSuperuser) throw DrfException.permissionDenied();
    return true;
  }

  /** By the `Authorization` header; without one, by cookie when cookie mode is on. */
  private async authenticate(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<Principal | undefined> {
    const [word, ...credentials] = (request.headers.authorization ?? '').trim().split(/\s+/);
    if (!word) {
      const cookie = this.registry.cookieScheme;
      const fromCookie = cookie && (await this.registry.authenticate(cookie, '', request, reply));
      return fromCookie && { ...fromCookie, scheme: 'cookie' };
    }
    const scheme = this.registry.schemeFor(word);
    if (!scheme) return undefined;
    request.authorizationCredentials = credentials;
    const authenticated = await this.registry.authenticate(scheme, word, request, reply);
    return authenticated && { ...authenticated, scheme: word };
  }
}
