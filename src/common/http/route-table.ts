import FindMyWay from 'find-my-way';
import type { FastifyInstance } from 'fastify';
import { type Dialect, dialectOf } from '../errors/dialect.decorators';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * A copy of the app's routing table, kept to answer "which methods does this
 * path allow?" when Fastify finds no route: that turns its 404 into the 405 with
 * `Allow` the Python peers send — in the dialect of the routes at that path.
 */
export class RouteTable {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true });

  /** Records every route the instance registers from now on. */
  attach(instance: FastifyInstance): void {
    instance.addHook('onRoute', (route) => {
      // The CORS preflight route answers OPTIONS everywhere; it is no method of a path's own.
      if (route.url === '*' || route.path === '*') return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (!METHODS.includes(method as (typeof METHODS)[number])) continue;
        if (!this.router.hasRoute(method as FindMyWay.HTTPMethod, route.url)) {
          this.router.on(method as FindMyWay.HTTPMethod, route.url, () => undefined, {
            dialect: dialectOf(route.config),
          });
        }
      }
    });
  }

  /** The methods some route answers at `url` (path and query), in a stable order. */
  allowedMethods(url: string): string[] {
    const path = url.split('?')[0] ?? '/';
    return METHODS.filter((method) => this.router.find(method, path) !== null);
  }

  /** FastAPI's when a route at `url` (any method) speaks it; DRF's otherwise. */
  dialectAt(url: string): Dialect {
    const path = url.split('?')[0] ?? '/';
    const fastapi = METHODS.some(
      (method) =>
        (this.router.find(method, path)?.store as { dialect?: Dialect } | undefined)?.dialect ===
        'fastapi',
    );
    return fastapi ? 'fastapi' : 'drf';
  }
}
