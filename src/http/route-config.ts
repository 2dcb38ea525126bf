import { type HttpRequest, ROUTE_CONFIG_METADATA, routeConfigOf } from './http-seam';

/*
 * The one home of every route-config key Gatehouse sets: the decorators that set
 * them (access, dialects) and what reads them before or instead of a handler (body
 * parsing, the route table, the guard, the filters) both import from here.
 */

export type Dialect = 'drf' | 'fastapi';

/** The key of the Fastify route config that names a route's dialect. */
export const DIALECT_ROUTE_CONFIG = 'gatehouseDialect';

/** The dialect a Fastify route config names (DRF, the default, when none). */
export function dialectOf(routeConfig: unknown): Dialect {
  const config = routeConfig as Record<string, unknown> | undefined;
  return config?.[DIALECT_ROUTE_CONFIG] === 'fastapi' ? 'fastapi' : 'drf';
}

/**
 * Whether the route a request matched declared a dialect (`@SurfaceDialect()`):
 * a consumer's controller without one answers Nest's own errors as Nest does.
 */
export function declaresDialect(request: HttpRequest | object): boolean {
  return routeConfigOf(request)?.[DIALECT_ROUTE_CONFIG] !== undefined;
}

/** The dialect of the route a request matched (DRF when it matched none). */
export function routeDialect(request: HttpRequest | object): Dialect {
  return dialectOf(routeConfigOf(request));
}

/**
 * The key of the Fastify route config that marks a route authenticating nobody:
 * the guard and a 405 on its path then ignore the `Authorization` header.
 */
export const NO_AUTHENTICATION_ROUTE_CONFIG = 'gatehouseNoAuthentication';

/** Whether a Fastify route config marks its route as authenticating nobody. */
export function authenticatesNobody(routeConfig: unknown): boolean {
  return (
    (routeConfig as Record<string, unknown> | undefined)?.[NO_AUTHENTICATION_ROUTE_CONFIG] === true
  );
}

/**
 * Adds one entry to the Fastify route config of a handler, or of every handler of
 * a class. What runs before a handler, or instead of one (body parsing, a 405 on
 * the path), reads the route's facts from there.
 */
export const RouteConfigEntry =
  (key: string, value: unknown): ClassDecorator & MethodDecorator =>
  (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (descriptor) {
      addEntry(descriptor.value as object, key, value);
      return;
    }
    // Class decorators run after method decorators: every handler exists by now.
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (name !== 'constructor' && typeof handler === 'function') addEntry(handler, key, value);
    }
  };

function addEntry(handler: object, key: string, value: unknown): void {
  const config = (Reflect.getMetadata(ROUTE_CONFIG_METADATA, handler) ?? {}) as object;
  Reflect.defineMetadata(ROUTE_CONFIG_METADATA, { ...config, [key]: value }, handler);
}
