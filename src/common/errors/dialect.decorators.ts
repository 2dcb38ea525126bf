import { UseFilters } from '@nestjs/common';
import { type HttpRequest, routeConfigOf } from '../http/http-seam';
import { documentAccess } from '../auth/access.decorators';
import { RouteConfigEntry } from '../http/route-config';
import { documentThrottling } from '../throttling/throttle-scopes';
import { FastApiExceptionFilter } from './fastapi-exception.filter';
import { SURFACE_ERRORS_ROUTE_CONFIG, type SurfaceErrorMapper } from './surface-errors';

export type Dialect = 'drf' | 'fastapi';

/** The key of the Fastify route config that names a route's dialect. */
export const DIALECT_ROUTE_CONFIG = 'gatehouseDialect';
/** Class metadata: the dialect a surface controller declared. */
export const SURFACE_DIALECT = 'gatehouse:surface-dialect';

/**
 * Declares the error dialect of a surface's controller, once: what its handlers
 * raise is answered in it, its routes' Fastify config names it (so what fails
 * before a handler runs — body parsing, a 405 at its path — is answered in it
 * too), its body DTOs are audited at boot, and the 401/403 bodies and security
 * schemes of its protected routes, and the 429 of its throttled ones, are
 * documented in it. `errors` words the
 * domain errors its handlers raise as the surface's library does; what it leaves
 * unmapped gets the dialect's plain answer.
 */
export const SurfaceDialect =
  (dialect: Dialect, errors?: SurfaceErrorMapper): ClassDecorator =>
  (target: object): void => {
    const controller = target as new (...args: unknown[]) => unknown;
    Reflect.defineMetadata(SURFACE_DIALECT, dialect, controller);
    if (dialect === 'fastapi') UseFilters(FastApiExceptionFilter)(controller);
    if (errors) RouteConfigEntry(SURFACE_ERRORS_ROUTE_CONFIG, errors)(controller);
    if (dialect === 'fastapi') RouteConfigEntry(DIALECT_ROUTE_CONFIG, dialect)(controller);
    const documenters = [documentAccess, documentThrottling];
    for (const document of documenters) document(controller, undefined, dialect);
    // Class decorators run after method decorators: every handler exists by now.
    const prototype = controller.prototype as object;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
      for (const document of documenters) document(prototype, descriptor, dialect);
    }
  };

/** The dialect a Fastify route config names (DRF, the default, when none). */
export function dialectOf(routeConfig: unknown): Dialect {
  const config = routeConfig as Record<string, unknown> | undefined;
  return config?.[DIALECT_ROUTE_CONFIG] === 'fastapi' ? 'fastapi' : 'drf';
}

/** The dialect of the route a request matched (DRF when it matched none). */
export function routeDialect(request: HttpRequest | object): Dialect {
  return dialectOf(routeConfigOf(request));
}
