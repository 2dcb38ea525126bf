import { UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RouteConfigEntry } from '../http/route-config';
import { FastApiExceptionFilter } from './fastapi-exception.filter';

export type Dialect = 'drf' | 'fastapi';

/** The key of the Fastify route config that names a route's dialect. */
export const DIALECT_ROUTE_CONFIG = 'gatehouseDialect';

/**
 * Marks a controller (or one handler) as speaking FastAPI's dialect. DRF's is the
 * app-wide default (installed by `configureApp`), so DRF controllers need no marker.
 *
 * Besides the exception filter, each handler's Fastify route carries the dialect
 * in its config, so that what happens before the handler runs — body parsing, a
 * 405 on the path — is answered in the same dialect by the app-wide filter.
 */
export const FastApiDialect =
  (): ClassDecorator & MethodDecorator =>
  (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (descriptor) UseFilters(FastApiExceptionFilter)(target, key!, descriptor);
    else UseFilters(FastApiExceptionFilter)(target as new (...args: unknown[]) => unknown);
    RouteConfigEntry(DIALECT_ROUTE_CONFIG, 'fastapi' satisfies Dialect)(target, key!, descriptor!);
  };

/** The dialect a Fastify route config names (DRF, the default, when none). */
export function dialectOf(routeConfig: unknown): Dialect {
  const config = routeConfig as Record<string, unknown> | undefined;
  return config?.[DIALECT_ROUTE_CONFIG] === 'fastapi' ? 'fastapi' : 'drf';
}

/** The dialect of the route a request matched (DRF when it matched none). */
export function routeDialect(request: FastifyRequest): Dialect {
  return dialectOf(request.routeOptions?.config);
}
