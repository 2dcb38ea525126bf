import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Writable } from 'node:stream';
// Types only: the adapter itself is loaded when createGatehouseApp runs (an Express host has none).
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type AppModuleOptions } from './app.module';
import {
  createLogger,
  logRequests,
  PinoLoggerService,
  requestLogger,
  wantsPrettyLogs,
} from './observability/logging';
import { registerSecurityHeaders } from './http/security-headers';
import { MAX_PARAM_LENGTH, RouteTable } from './http/route-table';
import { refuseDisallowedHosts } from './http/allowed-hosts';
import { runInRequestContext } from './http/request-context';
import { drainBeforeAnswering, transportErrorOptions } from './http/transport-errors';
import { REQUEST_ID_HEADER, requestId } from './observability/request-id';
import { closeConnectionsWhenClosing } from './http/graceful-close';
import { fastifyAdapterClass, hostFastify } from './http/host-fastify';
import type { GatehouseConfig } from './config/gatehouse-config';
import type { TrustProxy } from './config/proxy-and-hosts';
import { setupDocs } from './docs/docs.setup';

/**
 * Builds the standalone Gatehouse HTTP app, initialised but not listening:
 * `main.ts` listens on the configured port, e2e tests on an ephemeral one.
 */
export function createApp(
  config: GatehouseConfig,
  options: AppModuleOptions = {},
): Promise<NestFastifyApplication> {
  return createGatehouseApp(AppModule.forRoot(config, options), config, options);
}

/**
 * Builds any Nest app that imports GatehouseModule (a consumer's root module)
 * the way Gatehouse runs standalone: on Fastify with its trailing-slash rule and
 * body limit, JSON logs, and the Swagger document. (The guard, pipe, filters,
 * body parsers and route table come with GatehouseModule itself.)
 */
export async function createGatehouseApp(
  rootModule: Type | DynamicModule,
  config: GatehouseConfig,
  options: { logStream?: Writable } = {},
): Promise<NestFastifyApplication> {
  const logger = createLogger(
    config.logLevel,
    options.logStream,
    wantsPrettyLogs(config.logFormat, config.isProduction),
  );
  // The same table HttpPlatformModule answers 405s from (one per Fastify instance).
  const routes = new RouteTable();
  const FastifyAdapter = await fastifyAdapterClass();
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One line per request is written by logRequests(), after the answer.
    logController: new (hostFastify().LogController)({ disableRequestLogging: true }),
    childLoggerFactory: requestLogger,
    // Django answers a slash-less path with a 301 and FastAPI a slashed one with
    // a 307; Gatehouse answers both forms directly.
    // A parameter past MAX_PARAM_LENGTH is answered 414 by transportErrorOptions' handler.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    bodyLimit: config.bodyLimit,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    ...transportErrorOptions(routes),
    // X-Request-Id: honoured when safe (see requestId), else generated; returned and logged.
    requestIdHeader: false,
    genReqId: requestId,
  });
  const instance = adapter.getInstance();
  RouteTable.register(instance, routes);
  // One hook before routing's handlers, one on every answer: each hook costs every request.
  const refusedHost = refuseDisallowedHosts(config.allowedHosts, routes);
  instance.addHook('onRequest', (request, reply, done) => {
    if (refusedHost(request, reply)) return;
    void reply.header(REQUEST_ID_HEADER, request.id);
    // The request's hooks and handler run in its RequestContext (see runInRequestContext).
    runInRequestContext(request, reply.raw, done);
  });
  const closing = closeConnectionsWhenClosing(instance);
  logRequests(instance);

  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bodyParser: false,
    logger: new PinoLoggerService(logger),
    abortOnError: false,
  });
  await registerSecurityHeaders(instance, config, [
    drainBeforeAnswering,
    (_request, reply) => closing(reply),
  ]);
  if (config.docsEnabled !== false) setupDocs(app);
  await initOrRelease(app);
  return app;
}

/**
 * `app.init()`, closing the app when it throws (a bootstrap hook refusing the boot):
 * what the modules opened before the refusal — pools, timers — would otherwise keep
 * running in a host or a test that catches the error.
 */
export async function initOrRelease(app: INestApplication): Promise<void> {
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

/**
 * TRUST_PROXY in the form Fastify takes. The client is then the right-most
 * `X-Forwarded-For` entry no trusted proxy wrote. Fastify 5 refuses a bare hop
 * count (it cannot tell a proxy from a client that connects directly), so the
 * count becomes the function Express and earlier Fastify ran for it: the last
 * `n` hops are trusted, which holds only where every connection comes through
 * the proxies (docs/deploying.md).
 */
function fastifyTrustProxy(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'boolean' ? trust : [...trust];
}
