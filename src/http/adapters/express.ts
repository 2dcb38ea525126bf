import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { GatehouseConfig } from '../../config/gatehouse-config';
import type { TrustProxy } from '../../config/proxy-and-hosts';
import { dialectOf } from '../route-config';
import {
  createLogger,
  logRequestLine,
  logsRequests,
  wantsPrettyLogs,
} from '../../observability/logging';
import { REQUEST_ID_HEADER, requestId } from '../../observability/request-id';
import { hostRule } from '../allowed-hosts';
import { type BodyLimits, readBody } from '../body-parsers';
import {
  EXPRESS_ROUTE,
  type HttpRequest,
  ROUTE_CONFIG_METADATA,
  type RouteFacts,
} from '../http-seam';
import { runInRequestContext } from '../request-context';
import type { RouteTable } from '../route-table';
import { isPreflight, securityPolicy } from '../security-headers';
import {
  answerClientError,
  decodablePath,
  drainUnreadBody,
  hasUndecodableSegment,
  statusBody,
} from '../transport-errors';

/** What Gatehouse uses of Nest's Express adapter (no import of @nestjs/platform-express). */
export interface ExpressAdapterLike {
  getType(): string;
  getInstance(): ExpressAppLike;
  [method: string]: unknown;
}

export interface ExpressAppLike {
  use(handler: Middleware): unknown;
  set(setting: string, value: unknown): unknown;
  get(setting: string): unknown;
  router?: { strict?: boolean; stack?: { name?: string; handle?: { name?: string } }[] };
}

type Next = (error?: unknown) => void;
type Middleware = (request: ExpressRequest, response: ExpressResponse, next: Next) => void;
type ExpressRequest = IncomingMessage & HttpRequest & { [EXPRESS_ROUTE]?: RouteFacts; id: string };
type ExpressResponse = ServerResponse & { status(code: number): ExpressResponse };

/** Nest's route-registering methods, and the HTTP method each registers. */
const ROUTE_METHODS: Record<string, string[]> = {
  get: ['GET', 'HEAD'],
  post: ['POST'],
  put: ['PUT'],
  patch: ['PATCH'],
  delete: ['DELETE'],
  options: ['OPTIONS'],
  head: ['HEAD'],
  all: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
};

/** The names Nest's Express adapter checks before adding its own JSON and form parsers. */
const NEST_PARSER_NAMES = ['jsonParser', 'urlencodedParser'];

/**
 * Requests whose body the route stopped reading (past a limit, malformed): their
 * answer carries no `Connection` header, as Fastify's does when its parser gave up.
 */
const REFUSED_BODIES = new WeakSet<IncomingMessage>();

/** Gatehouse's own layers of those names. */
const OWN_LAYERS = new WeakSet<object>();

/**
 * Serves the surfaces on Nest's Express adapter exactly as on Fastify, from
 * inside the module (called while providers are built, before Nest registers any
 * route or, at init, its own body parsers):
 * - every route is recorded in the route table (405s, dialects) and registered
 *   with and without its trailing slash; its handler first reads the body with
 *   Gatehouse's parsers (JSON, form, multipart, DATA_UPLOAD_MAX_NUMBER_FIELDS),
 *   knowing the route's dialect as Fastify's content-type parsers do, then runs
 *   in the request context;
 * - Nest's own JSON and urlencoded parsers are kept out (they would answer
 *   malformed JSON, forms and limits differently);
 * - before routing: the request id, ALLOWED_HOSTS, CORS, the security headers and
 *   TRUST_PROXY, as createGatehouseApp sets them up on Fastify;
 * - one JSON line per request (LOG_LEVEL, LOG_FORMAT), as the standalone service
 *   writes it, to `logStream` (stdout when absent).
 * A host app whose Express instance cannot answer as the standalone service does
 * (strict routing, a body parser of its own) is refused at boot.
 */
export function serveOnExpress(
  adapter: ExpressAdapterLike,
  config: GatehouseConfig,
  routes: RouteTable,
  logStream?: Writable,
): void {
  const app = adapter.getInstance();
  if (app.get('strict routing')) {
    throw new Error(
      'Gatehouse: every surface answers its paths with and without the trailing slash, and this ' +
        'app\'s Express instance has "strict routing" on. Leave it off (the default).',
    );
  }
  refuseForeignBodyParsers(app);
  // Fastify answers with neither: no `X-Powered-By` banner, no ETag on API answers.
  app.set('x-powered-by', false);
  app.set('etag', false);
  // TRUST_PROXY, as on Fastify; left to the host when Gatehouse is told to trust nobody.
  if (config.trustProxy !== false) app.set('trust proxy', expressTrustProxy(config.trustProxy));
  // Nest adds express.json() and express.urlencoded() at init unless layers by these
  // names are in place: these pass the request on to the route, which reads the body.
  for (const name of NEST_PARSER_NAMES) {
    const passOn: Middleware = (_request, _response, next) => next();
    Object.defineProperty(passOn, 'name', { value: name });
    OWN_LAYERS.add(passOn);
    app.use(passOn);
  }
  const allowed = hostRule(config.allowedHosts);
  const policy = securityPolicy(config);
  const closing = closeConnectionsWhenClosing(adapter);
  answerClientErrorsInDialect(adapter, routes);
  const requestLog = logsRequests(config.logLevel)
    ? createLogger(
        config.logLevel,
        logStream,
        wantsPrettyLogs(config.logFormat, config.isProduction),
      )
    : undefined;
  app.use((request, response, next) => {
    // What Fastify's router refuses before any hook runs: answered as its frameworkErrors are.
    if (hasUndecodableSegment(request.url)) {
      sendJson(response, 400, statusBody(routes.dialectAt(decodablePath(request.url)), 400));
      return;
    }
    if (routes.paramTooLongAt(request.url)) {
      sendJson(response, 414, statusBody(routes.dialectAt(request.url), 414));
      return;
    }
    request.id = requestId(request);
    response.setHeader(REQUEST_ID_HEADER, request.id);
    if (requestLog) {
      const started = performance.now();
      response.once('finish', () =>
        logRequestLine(requestLog, request, response, performance.now() - started),
      );
    }
    const answerHeaders = answerWithHeaders(request, response, policy.answerHeaders, closing);
    answerContentTypesAsFastify(request, response, answerHeaders);
    if (!allowed(request.host ?? '')) {
      sendJson(response, 400, statusBody(routes.dialectAt(decodablePath(request.url)), 400));
      return;
    }
    next();
  });
  if (policy.cors) app.use(corsMiddleware(policy.cors));
  // Fastify sends a handler's `null` as the JSON `null`; Nest's Express adapter, as nothing.
  const reply = adapter.reply as (response: unknown, body: unknown, status?: number) => unknown;
  adapter.reply = (response: ExpressResponse, body: unknown, status?: number) => {
    if (body !== null) return reply.call(adapter, response, body, status);
    if (status !== undefined) response.status(status);
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end('null');
  };
  const limits: BodyLimits = { bytes: config.bodyLimit, fields: config.dataUploadMaxNumberFields };
  for (const [name, methods] of Object.entries(ROUTE_METHODS)) {
    const register = adapter[name];
    if (typeof register !== 'function') continue;
    adapter[name] = (...args: unknown[]) => {
      const handler = args[args.length - 1];
      if (typeof args[0] !== 'string' || typeof handler !== 'function') {
        return (register as (...a: unknown[]) => unknown).apply(adapter, args);
      }
      const path = args[0];
      const config = (Reflect.getMetadata(ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<
        string,
        unknown
      >;
      for (const method of methods) routes.record(method, path, config);
      const wrapped = routeHandler({ url: path, config }, handler as Middleware, limits);
      const result = (register as (...a: unknown[]) => unknown).call(adapter, path, wrapped);
      // Express's non-strict routing lets `/a` match `/a/`, not `/a/` match `/a`.
      if (path.length > 1 && path.endsWith('/')) {
        (register as (...a: unknown[]) => unknown).call(adapter, path.replace(/\/+$/, ''), wrapped);
      }
      return result;
    };
  }
}

/** A route's handler: the route's facts on the request, its body read, its context entered. */
function routeHandler(route: RouteFacts, handler: Middleware, limits: BodyLimits): Middleware {
  const dialect = dialectOf(route.config);
  return (request, response, next) => {
    request[EXPRESS_ROUTE] = route;
    readBody(request, dialect, limits).then(
      (body) => {
        request.body = body;
        // A handler that throws (Swagger's static files answer NotFoundException so) goes to
        // Express's error handling, as a synchronous throw would, instead of hanging the request.
        try {
          runInRequestContext(request, response, () => handler(request, response, next));
        } catch (error) {
          next(error);
        }
      },
      (error: unknown) => {
        // The rest of the body is drained once the answer goes out (answerWithHeaders).
        REFUSED_BODIES.add(request);
        next(error);
      },
    );
  };
}

/**
 * What Fastify's onSend hooks do, once the body is known (Express's `send` ends
 * the answer with its whole body, so `end` sees it before the headers are
 * written): the security headers; a body the answer did not wait for drained,
 * so the client reads the answer and may send the next request; and
 * `Connection: close` while the app closes. Returns the step, for HEAD answers,
 * whose body Express never hands to `end`.
 */
function answerWithHeaders(
  request: IncomingMessage,
  response: ServerResponse,
  answerHeaders: (reply: object, payload: unknown) => void,
  closing: () => boolean,
): (payload: unknown) => void {
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
  let applied = false;
  const apply = (payload: unknown): void => {
    if (applied || response.headersSent) return;
    applied = true;
    answerHeaders(response, payload);
    // An unread body (no route read it, or the route gave up on it) is drained.
    if (drainUnreadBody(request) && REFUSED_BODIES.has(request)) {
      response.removeHeader('connection');
    }
    if (closing()) response.setHeader('connection', 'close');
  };
  response.end = ((...args: unknown[]) => {
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    apply(payload);
    return end(...args);
  }) as ServerResponse['end'];
  response.writeHead = (...args: unknown[]) => {
    apply(undefined);
    return writeHead(...args);
  };
  return apply;
}

/**
 * Once Nest closes the app, every answer says `Connection: close` (see
 * graceful-close.ts for Fastify): a request in flight is answered, then its
 * keep-alive connection ends instead of holding the close open.
 */
function closeConnectionsWhenClosing(adapter: ExpressAdapterLike): () => boolean {
  let closing = false;
  const close = adapter.close as (() => unknown) | undefined;
  if (typeof close === 'function') {
    adapter.close = () => {
      closing = true;
      return close.call(adapter);
    };
  }
  return () => closing;
}

/**
 * Node's answers to requests it cannot parse (a URI or headers too large, a
 * timeout, bytes that are no HTTP) in the path's dialect, as on Fastify. The
 * server is made after the module's providers, when Nest builds the app.
 */
function answerClientErrorsInDialect(adapter: ExpressAdapterLike, routes: RouteTable): void {
  const init = adapter.initHttpServer as ((...args: unknown[]) => unknown) | undefined;
  if (typeof init !== 'function') return;
  adapter.initHttpServer = (...args: unknown[]) => {
    const result = init.apply(adapter, args);
    const server = (adapter.getHttpServer as (() => Server | undefined) | undefined)?.call(adapter);
    server?.on('clientError', answerClientError(routes));
    return result;
  };
}

type ExpressSending = ServerResponse & {
  send(body?: unknown): unknown;
  type(type: string): unknown;
  set(field: unknown, value?: unknown): unknown;
};

const JSON_TYPE = 'application/json; charset=utf-8';

/** Express's short type names (`res.type('html')`) that Gatehouse and Swagger use. */
const SHORT_TYPES: Record<string, string> = {
  html: 'text/html',
  json: 'application/json',
  js: 'application/javascript',
  text: 'text/plain',
  txt: 'text/plain',
};

/**
 * Content types as Fastify sends them: a type the handler set is sent as it is
 * (Express appends `; charset=utf-8` to it), and a bare string with none is
 * `text/plain; charset=utf-8` (Express's is `text/html`, which would also change
 * the security headers it gets). JSON keeps `application/json; charset=utf-8`.
 */
function answerContentTypesAsFastify(
  request: IncomingMessage,
  response: ServerResponse,
  answerHeaders: (payload: unknown) => void,
): void {
  const express = response as ExpressSending;
  const send = express.send.bind(express);
  const set = express.set.bind(express);
  express.type = (type: string) => {
    const full = type.includes('/') ? type : (SHORT_TYPES[type] ?? type);
    // Fastify gives JSON, and only JSON, its charset.
    response.setHeader('Content-Type', full === 'application/json' ? JSON_TYPE : full);
    return express;
  };
  express.send = (body?: unknown) => {
    if (typeof body === 'string' && !response.hasHeader('content-type')) {
      response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    }
    // Express ends a HEAD answer without its body: the headers that depend on it
    // (`Cache-Control: no-store` on a credential) are set from it here, as Fastify does.
    if (request.method === 'HEAD' && (typeof body === 'string' || Buffer.isBuffer(body))) {
      answerHeaders(body);
    }
    const type = response.getHeader('content-type');
    if (type === undefined) return send(body);
    express.set = (field: unknown, value?: unknown) =>
      typeof field === 'string' && field.toLowerCase() === 'content-type'
        ? express
        : set(field, value);
    try {
      return send(body);
    } finally {
      express.set = set;
    }
  };
}

/** TRUST_PROXY as Express's "trust proxy" setting takes it (a hop count, addresses, or all). */
function expressTrustProxy(trust: TrustProxy): boolean | number | string[] {
  if (typeof trust === 'number' || typeof trust === 'boolean') return trust;
  return [...trust];
}

/**
 * A body parser the host installed (express.json(), …) would read the body first,
 * with other limits and other answers to malformed input: refused at boot.
 */
export function refuseForeignBodyParsers(app: ExpressAppLike): void {
  const names = (app.router?.stack ?? [])
    .filter((layer) => !(layer.handle && OWN_LAYERS.has(layer.handle)))
    .map((layer) => layer.handle?.name ?? layer.name);
  const foreign = names.filter(
    (name) => name && ['jsonParser', 'urlencodedParser', 'rawParser', 'textParser'].includes(name),
  );
  if (foreign.length > 0) {
    throw new Error(
      `Gatehouse: this app's Express instance already parses request bodies (${foreign.join(', ')}), ` +
        'and the surfaces read them with their own parsers (limits, DATA_UPLOAD_MAX_NUMBER_FIELDS, ' +
        'the error each surface answers). Remove app.use(express.json()) and the like, or mount ' +
        'them on your own routes only.',
    );
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(text));
  response.end(text);
}

/**
 * CORS as @fastify/cors answers it on the standalone service: a preflight is
 * answered here (204), any other request gets the allow headers when its
 * origin is allowed, and an OPTIONS that is no preflight goes on to the route.
 */
function corsMiddleware(options: {
  origin: true | string[];
  methods: string[];
  exposedHeaders: string[];
  maxAge: number;
}): Middleware {
  return (request, response, next) => {
    const origin = request.headers.origin;
    const allowed =
      origin !== undefined && (options.origin === true || options.origin.includes(origin));
    if (allowed) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Access-Control-Expose-Headers', options.exposedHeaders.join(','));
      response.setHeader('Vary', 'Origin');
    } else if (origin !== undefined) {
      response.setHeader('Vary', 'Origin');
    }
    if (!isPreflight(request)) return next();
    response.setHeader('Access-Control-Allow-Methods', options.methods.join(','));
    const requested = request.headers['access-control-request-headers'];
    if (requested !== undefined) {
      response.setHeader('Access-Control-Allow-Headers', requested);
      response.setHeader('Vary', 'Origin, Access-Control-Request-Headers');
    }
    response.setHeader('Access-Control-Max-Age', String(options.maxAge));
    response.statusCode = 204;
    response.setHeader('Content-Length', '0');
    response.end();
  };
}
