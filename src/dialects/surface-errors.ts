import type { HttpException } from '@nestjs/common';
import { type HttpRequest, routeConfigOf } from '../http/http-seam';
import { DomainError } from '../problems/domain.errors';

/**
 * A surface's wording of domain errors: its library's exact answer, or
 * undefined to leave the error to the dialect's plain rendering.
 */
export type SurfaceErrorMapper = (error: DomainError) => HttpException | undefined;

/** The key of the Fastify route config that holds a surface's SurfaceErrorMapper. */
export const SURFACE_ERRORS_ROUTE_CONFIG = 'gatehouseSurfaceErrors';

/**
 * What the exception filters answer for an exception raised on a route: a domain
 * error as the route's surface words it (see `SurfaceDialect`), anything else as
 * it is. The filters do the wording, rather than an interceptor, so a request
 * that succeeds pays nothing for it (an interceptor wraps every call in rxjs).
 */
export function surfaceAnswer(exception: unknown, request: HttpRequest): unknown {
  if (!(exception instanceof DomainError)) return exception;
  const config = routeConfigOf(request);
  const mapper = config?.[SURFACE_ERRORS_ROUTE_CONFIG] as SurfaceErrorMapper | undefined;
  return mapper?.(exception) ?? exception;
}
