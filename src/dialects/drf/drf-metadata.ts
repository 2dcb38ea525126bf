import { Header, Req, RequestMethod, SetMetadata } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ROUTE_CONFIG_METADATA } from '../../http/http-seam';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { HttpRequest } from '../../http/http-seam';
import { ACCESS_LEVEL, type AccessLevel } from '../../access/access.decorators';
import type { Principal } from '../../access/auth-scheme';
import { DomainError } from '../../problems/domain.errors';
import { drfSerializerInfo, type DrfFieldDescription, isDrfSerializer } from './drf-fields';

/** DRF's default renderers (JSONRenderer, BrowsableAPIRenderer) and parsers, which the surfaces accept. */
const RENDERS = ['application/json', 'text/html'];
const PARSES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];
/** APIView.http_method_names, the order of DRF's `Allow`. */
const DRF_METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** `methods` in the order of DRF's `Allow` (HEAD after DELETE, not after GET). */
export function drfAllowOrder(methods: readonly string[]): string[] {
  return DRF_METHOD_ORDER.filter((method) => methods.includes(method));
}
/** Access levels from the most open: OPTIONS asks what the path's most open method asks. */
const LEVELS: readonly AccessLevel[] = ['public', 'authenticated', 'staff', 'superuser'];

const DRF_VIEW = 'gatehouse:drf-view';

interface DrfViewFacts {
  name: string;
  description: string;
  /** The serializer OPTIONS describes for every method, in place of the handlers' bodies. */
  serializer?: abstract new (...args: never[]) => unknown;
  /** Who may ask OPTIONS, in place of the path's most open method's level. */
  level?: AccessLevel;
  /**
   * SimpleMetadata's `get_object()` before it describes PUT, run on the controller:
   * a DomainError (not found, not allowed) leaves PUT out, as DRF's Http404 does.
   */
  object?: (this: never, request: HttpRequest) => Promise<unknown>;
}

/**
 * The Python view a handler mirrors, as DRF's OPTIONS names it: `get_view_name`
 * of its class (`TokenObtainPairView` → "Token Obtain Pair") and its docstring,
 * dedented (DRF's `get_view_description`).
 */
export const DrfView = (viewClass: string, description = ''): MethodDecorator =>
  SetMetadata(DRF_VIEW, { name: drfViewName(viewClass), description } satisfies DrfViewFacts);

/**
 * A ViewSet's view as DRF's OPTIONS shows it: named as DRF names it (`User List`,
 * an extra action's `Set password`), and — a ViewSet's `metadata` action being an
 * action of its own — with its permission (`level`) and the viewset's
 * `serializer_class` (`serializer`) for every method, whatever each method reads.
 */
export const DrfViewSetView = (
  name: string,
  options: Pick<DrfViewFacts, 'serializer' | 'level' | 'object'> = {},
): MethodDecorator =>
  SetMetadata(DRF_VIEW, { name, description: '', ...options } satisfies DrfViewFacts);

/** DRF's `get_view_name`: the class name without `View`/`ViewSet`, camel case to words. */
export function drfViewName(className: string): string {
  let name = className;
  for (const trailing of ['View', 'ViewSet']) {
    if (name.endsWith(trailing) && name !== trailing) name = name.slice(0, -trailing.length);
  }
  const spaced = name.replace(/((?<=[a-z])[A-Z]|[A-Z](?![A-Z]|$))/g, ' $1').trim();
  return spaced
    .split('_')
    .join(' ')
    .replace(/[A-Za-z]+/g, (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());
}

interface RouteFacts {
  method: string;
  level: AccessLevel;
  body?: abstract new (...args: never[]) => unknown;
  view?: DrfViewFacts;
  routeConfig?: Record<string, unknown>;
}

/**
 * Answers `OPTIONS` on every path of a DRF controller as DRF's SimpleMetadata
 * does: 200 `{name, description, renders, parses}`, plus `actions` with the
 * field info of the POST and PUT serializers the caller may use, read from the
 * body DTOs' DRF field decorators. As DRF checks a view's permissions before
 * OPTIONS, the path's most open access level applies (so OPTIONS on a protected
 * view is its 401 or 403). Put it above every other class decorator: it reads
 * their metadata. OPTIONS is kept out of the OpenAPI document, as DRF's schema
 * generators leave it out.
 */
export const DrfOptions =
  (): ClassDecorator =>
  (target: object): void => {
    const controller = target as new (...args: unknown[]) => unknown;
    const prototype = controller.prototype as Record<string, unknown>;
    const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const paths = new Map<string, RouteFacts[]>();
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (method === undefined || path === undefined) continue;
      const facts: RouteFacts = {
        method: RequestMethod[method],
        level:
          ((Reflect.getMetadata(ACCESS_LEVEL, handler) ??
            Reflect.getMetadata(ACCESS_LEVEL, controller)) as AccessLevel | undefined) ??
          'authenticated',
        body: bodyType(prototype, name),
        view: Reflect.getMetadata(DRF_VIEW, handler) as DrfViewFacts | undefined,
        routeConfig: Reflect.getMetadata(ROUTE_CONFIG_METADATA, handler) as
          Record<string, unknown> | undefined,
      };
      const key = path.replace(/\/+$/, '');
      paths.set(key, [...(paths.get(key) ?? []), facts]);
    }
    for (const [path, routes] of paths) {
      if (routes.some((route) => route.method === 'OPTIONS')) continue;
      defineOptionsHandler(controller, prototype, `${path}/`, routes, prefix);
    }
  };

function defineOptionsHandler(
  controller: new (...args: unknown[]) => unknown,
  prototype: Record<string, unknown>,
  path: string,
  routes: RouteFacts[],
  prefix: string,
): void {
  const view = routes.find((route) => route.view)?.view ?? {
    name: drfViewName(controller.name.replace(/Controller$/, '')),
    description: '',
  };
  const open = routes.reduce(
    (most, route) => (LEVELS.indexOf(route.level) < LEVELS.indexOf(most.level) ? route : most),
    routes[0],
  );
  const level = view.level ?? open.level;
  const methods = new Set([...routes.map((route) => route.method), 'OPTIONS']);
  if (methods.has('GET')) methods.add('HEAD');
  const allow = drfAllowOrder([...methods]).join(', ');

  const name = `drfOptions ${prefix}/${path}`;
  const handler = async function (this: never, request: HttpRequest) {
    const metadata: Record<string, unknown> = {
      name: view.name,
      description: view.description,
      renders: RENDERS,
      parses: PARSES,
    };
    const actions = drfActions(routes, request.principal, view.serializer);
    if (actions.PUT && view.object) {
      try {
        await view.object.call(this, request);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        delete actions.PUT;
      }
    }
    if (Object.keys(actions).length > 0) metadata.actions = actions;
    return metadata;
  };
  Object.defineProperty(prototype, name, { value: handler, configurable: true, writable: true });
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
  Reflect.defineMetadata(PATH_METADATA, path, handler);
  Reflect.defineMetadata(METHOD_METADATA, RequestMethod.OPTIONS, handler);
  Reflect.defineMetadata(ACCESS_LEVEL, level, handler);
  // The open route's Fastify config: its dialect, whether it authenticates at all.
  if (open.routeConfig) Reflect.defineMetadata(ROUTE_CONFIG_METADATA, open.routeConfig, handler);
  Reflect.defineMetadata('design:paramtypes', [Object], prototype, name);
  Req()(prototype, name, 0);
  Header('Allow', allow)(prototype, name, descriptor);
  Header('Vary', 'Accept')(prototype, name, descriptor);
  ApiExcludeEndpoint()(prototype, name, descriptor);
}

/** SimpleMetadata's `actions`: the serializer of each of POST and PUT the caller may use. */
function drfActions(
  routes: RouteFacts[],
  principal: Principal | undefined,
  serializer?: DrfViewFacts['serializer'],
): Record<string, Record<string, DrfFieldDescription>> {
  const actions: Record<string, Record<string, DrfFieldDescription>> = {};
  for (const method of ['POST', 'PUT']) {
    const route = routes.find((candidate) => candidate.method === method);
    if (!route || !allows(route.level, principal)) continue;
    const body = serializer ?? route.body;
    if (!body || (!serializer && !isDrfSerializer(body))) continue;
    actions[method] = drfSerializerInfo(body);
  }
  return actions;
}

function allows(level: AccessLevel, principal: Principal | undefined): boolean {
  if (level === 'public') return true;
  if (!principal) return false;
  if (level === 'staff') return principal.user.isStaff;
  if (level === 'superuser') return principal.user.isSuperuser;
  return true;
}

/** The class of a handler's `@Body()` parameter, if it takes one. */
function bodyType(
  prototype: object,
  name: string,
): (abstract new (...args: never[]) => unknown) | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, prototype.constructor, name) ??
    {}) as Record<string, { index: number; data?: unknown }>;
  const types = (Reflect.getMetadata('design:paramtypes', prototype, name) ?? []) as unknown[];
  for (const [key, arg] of Object.entries(args)) {
    if (key.split(':')[0] === String(RouteParamtypes.BODY) && arg.data === undefined) {
      return types[arg.index] as abstract new (...args: never[]) => unknown;
    }
  }
  return undefined;
}
