import FindMyWay from 'find-my-way';
import type { FastifyInstance } from 'fastify';
import { authenticatesNobody, type Dialect, dialectOf } from './route-config';

/** A path parameter longer than this is answered 414 (Fastify's default `maxParamLength`). */
export const MAX_PARAM_LENGTH = 100;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** One method at one path the app serves, and the dialect it answers in. */
export interface RouteEntry {
  readonly method: (typeof METHODS)[number];
  readonly url: string;
  readonly dialect: Dialect;
}

/**
 * A copy of the app's routing table, kept to answer "which methods does this
 * path allow?" when Fastify finds no route: that turns its 404 into the 405 with
 * `Allow` the Python peers send — in the dialect of the routes at that path.
 */
export class RouteTable {
  private static readonly tables = new WeakMap<FastifyInstance, RouteTable>();
  // Any parameter length: the table still places a path whose parameter is too long
  // (its 414 is answered in the dialect of the route it was meant for).
  private readonly router = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 1_000_000 });
  private readonly entries: RouteEntry[] = [];

  /** Attaches `table` to an instance as the one `RouteTable.of` answers for it. */
  static register(instance: FastifyInstance, table: RouteTable): void {
    table.attach(instance);
    RouteTable.tables.set(instance, table);
  }

  /** The instance's table (attached on first use, before any route is registered). */
  static of(instance: FastifyInstance): RouteTable {
    const existing = RouteTable.tables.get(instance);
    if (existing) return existing;
    const table = new RouteTable();
    RouteTable.register(instance, table);
    return table;
  }

  /** Records every route the instance registers from now on. */
  attach(instance: FastifyInstance): void {
    instance.addHook('onRoute', (route) => {
      // The CORS preflight route answers OPTIONS everywhere; it is no method of a path's own.
      if (route.url === '*' || route.path === '*') return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) this.record(method, route.url, route.config);
    });
  }

  /** Records one route (any adapter): its method, its pattern, its handler's route facts. */
  record(method: string, url: string, config: unknown): void {
    if (!METHODS.includes(method as (typeof METHODS)[number])) return;
    if (this.router.hasRoute(method as FindMyWay.HTTPMethod, url)) return;
    const dialect = dialectOf(config);
    this.router.on(method as FindMyWay.HTTPMethod, url, () => undefined, {
      dialect,
      authenticates: !authenticatesNobody(config),
    });
    this.entries.push({ method: method as RouteEntry['method'], url, dialect });
  }

  /** Every route recorded, in the order the app registered them. */
  routes(): readonly RouteEntry[] {
    return this.entries;
  }

  /** The methods some route answers at `url` (path and query), in a stable order. */
  allowedMethods(url: string): string[] {
    const path = url.split('?')[0] ?? '/';
    return METHODS.filter((method) => this.router.find(method, path) !== null);
  }

  /**
   * Whether a route at `url` (any method) authenticates its requests: DRF's
   * views authenticate before the method check, so a 405 there waits for it.
   */
  authenticatesAt(url: string): boolean {
    const path = url.split('?')[0] ?? '/';
    return METHODS.some(
      (method) =>
        (this.router.find(method, path)?.store as { authenticates?: boolean } | undefined)
          ?.authenticates === true,
    );
  }

  /**
   * Whether a route at `url` would take a path parameter longer than
   * MAX_PARAM_LENGTH: Fastify's router answers that 414 before routing, and the
   * Express adapter answers it so too.
   */
  paramTooLongAt(url: string): boolean {
    const path = url.split('?')[0] ?? '/';
    // No parameter is longer than the path: most requests are answered without a lookup.
    if (path.length <= MAX_PARAM_LENGTH) return false;
    return METHODS.some((method) =>
      Object.entries(this.router.find(method, path)?.params ?? {}).some(
        ([name, value]) => name !== '*' && (value?.length ?? 0) > MAX_PARAM_LENGTH,
      ),
    );
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
