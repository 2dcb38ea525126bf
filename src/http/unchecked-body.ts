import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { HttpRequest } from './http-seam';

/**
 * The request body as parsed, validated by the handler itself: for views whose
 * body is optional or free-form (dj-rest-auth's logout, the dashboard's forms).
 * Every other surface body is a DTO the surface's validation knows.
 */
export const UncheckedBody = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<HttpRequest>().body,
);
