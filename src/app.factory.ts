import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Writable } from 'node:stream';
import { LogController } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type AppModuleOptions } from './app.module';
import {
  createLogger,
  logRequests,
  PinoLoggerService,
  requestLogger,
  wantsPrettyLogs,
} from './common/logging/logging';
import { registerSecurityHeaders } from './common/http/security-headers';
import { RouteTable } from './common/http/route-table';
import { trackRequestContext } from './common/http/request-context';
import { drainUnreadBodies, transportErrorOptions } from './common/http/transport-errors';
import { requestId, trackRequestIds } from './common/logging/request-id';
import { closeConnectionsWhenClosing } from './common/http/graceful-close';
import type { GatehouseConfig } from './config/gatehouse-config';
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
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One line per request is written by logRequests(), after the answer.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: requestLogger,
    // Django answers a slash-less path with a 301 and FastAPI a slashed one with
    // a 307; Gatehouse answers both forms directly.
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    ...transportErrorOptions(routes),
    // X-Request-Id: honoured when safe (see requestId), else generated; returned and logged.
    requestIdHeader: false,
    genReqId: requestId,
  });
  RouteTable.register(adapter.getInstance(), routes);
  drainUnreadBodies(adapter.getInstance());
  trackRequestContext(adapter.getInstance());
  trackRequestIds(adapter.getInstance());
  closeConnectionsWhenClosing(adapter.getInstance());
  logRequests(adapter.getInstance());

  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bodyParser: false,
    logger: new PinoLoggerService(logger),
    abortOnError: false,
  });
  await registerSecurityHeaders(adapter.getInstance(), config);
  if (config.docsEnabled !== false) setupDocs(app);
  await app.init();
  return app;
}
