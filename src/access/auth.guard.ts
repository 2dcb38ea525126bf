import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { type HttpReply, type HttpRequest, routeConfigOf } from '../http/http-seam';
import { AuthenticationFailed, PermissionDeniedError } from '../problems/domain.errors';
import { DRF_MESSAGES } from '../problems/drf.exception';
import { handlerMetadata } from '../http/handler-metadata';
import { authenticatesNobody, routeDialect } from '../http/route-config';
import { ACCESS_LEVEL, type AccessLevel } from './access.decorators';
import type { Principal } from './auth-scheme';
import { AuthSchemeRegistry } from './auth-scheme.registry';
import { whenReady } from '../infra/when-ready';

/**
 * The one authentication guard. It reads `Authorization: <scheme> <credential>`,
 * runs the passport strategy registered for the scheme, and checks the route's
 * access level. A missing header or an unknown scheme is "not provided", as DRF
 * treats an authenticator that does not recognise the header.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly registry: AuthSchemeRegistry) {}

  // Not async: a cached credential is admitted at once, without a promise (Nest awaits the answer).
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const level = handlerMetadata<AccessLevel>(ACCESS_LEVEL, context) ?? 'authenticated';
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const reply = http.getResponse<HttpReply>();
    const byHeader = Boolean(request.headers.authorization?.trim());
    if (level === 'public') {
      // DRF authenticates before every view, open ones too; FastAPI's open routes read no header.
      if (routeDialect(request) === 'drf' && !authenticatesNobody(routeConfigOf(request))) {
        return whenReady(
          byHeader
            ? this.registry.authenticateHeaderNow(request, reply)
            : this.authenticateOpenByCookie(request, reply),
          (principal) => {
            request.principal = principal;
            return true;
          },
        );
      }
      return true;
    }

    // By the `Authorization` header; without one, by cookie when cookie mode is on.
    return whenReady(
      byHeader
        ? this.registry.authenticateHeaderNow(request, reply)
        : this.authenticateByCookie(request, reply),
      (principal) => admit(level, request, principal),
    );
  }

  /**
   * An open route's cookie, as dj-rest-auth's cookie authentication runs on its
   * open views: an unsafe method must pass the CSRF check whenever the access
   * cookie is sent. A cookie that no longer authenticates is ignored there
   * rather than a 401, so a stale cookie never keeps a browser from logging in
   * or out.
   */
  private authenticateOpenByCookie(
    request: HttpRequest,
    reply: HttpReply,
  ): Promise<Principal | undefined> {
    return this.authenticateByCookie(request, reply).catch((error: unknown) => {
      if (error instanceof AuthenticationFailed) return undefined;
      throw error;
    });
  }

  private async authenticateByCookie(
    request: HttpRequest,
    reply: HttpReply,
  ): Promise<Principal | undefined> {
    const cookie = this.registry.cookieScheme;
    const fromCookie = cookie && (await this.registry.authenticate(cookie, '', request, reply));
    return fromCookie && { ...fromCookie, scheme: 'cookie' };
  }
}

/** The route's access level for the request's principal (undefined: none was authenticated). */
function admit(level: AccessLevel, request: HttpRequest, principal: Principal | undefined): true {
  if (!principal) {
    throw new AuthenticationFailed({ detail: DRF_MESSAGES.notAuthenticated });
  }
  request.principal = principal;

  if (level === 'staff' && !principal.user.isStaff) throw new PermissionDeniedError();
  if (level === 'superuser' && !principal.user.isSuperuser) throw new PermissionDeniedError();
  return true;
}
