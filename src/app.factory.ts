import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Writable } from 'node:stream';
import { LogController } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type AppModuleOptions } from './app.module';
import { DrfExceptionFilter } from './common/errors/drf-exception.filter';
import { DrfValidationPipe } from './common/validation/drf-validation.pipe';
import { registerBodyParsers } from './common/http/body-parsers';
import { trackRequestContext } from './common/http/request-context';
import { RouteTable } from './common/http/route-table';
import { registerSecurityHeaders } from './common/http/security-headers';
import { drainUnreadBodies, transportErrorOptions } from './common/http/transport-errors';
import { createLogger, logRequests, PinoLoggerService } from './common/logging/logging';
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
 * the way Gatehouse must run: on Fastify with its trailing-slash rule, body
 * parsers and limits, JSON logs, the DRF/FastAPI error dialects, the
 * route table behind 405s, and the Swagger document.
 */
export async function createGatehouseApp(
  rootModule: Type | DynamicModule,
  config: GatehouseConfig,
  options: { logStream?: Writable } = {},
): Promise<NestFastifyApplication> {
  const logger = createLogger(config.logLevel, options.logStream);
  const routes = new RouteTable();
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One line per request is written by logRequests(), after the answer.
    logController: new LogController({ disableRequestLogging: true }),
    // Django answers a slash-less path with a 301 and FastAPI a slashed one with
    // a 307; Gatehouse answers both forms directly.
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    ...transportErrorOptions(routes),
  });
  routes.attach(adapter.getInstance());
  drainUnreadBodies(adapter.getInstance());
  trackRequestContext(adapter.getInstance());
  logRequests(adapter.getInstance());

  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bodyParser: false,
    logger: new PinoLoggerService(logger),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  await registerBodyParsers(adapter.getInstance(), config.bodyLimit);
  await registerSecurityHeaders(adapter.getInstance(), config);
  // DRF's serializer rules for DTOs declared with DRF fields.
  app.useGlobalPipes(new DrfValidationPipe());
  app.useGlobalFilters(new DrfExceptionFilter(`${config.authHeaderTypes[0]} realm="api"`, routes));
  setupDocs(app);
  await app.init();
  return app;
}
