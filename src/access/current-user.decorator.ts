import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { HttpRequest } from '../http/http-seam';
import type { Principal } from './auth-scheme';

/** The authenticated user of the request (routes behind the AuthGuard). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<HttpRequest>().principal?.user,
);

/** The whole principal: user, scheme and credential facts. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<HttpRequest>().principal,
);
