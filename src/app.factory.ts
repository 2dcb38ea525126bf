import { NestFactory } from '@nestjs/core';
import { LogController } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type AppModuleOptions } from './app.module';
import { DrfExceptionFilter } from './common/errors/drf-exception.filter';
import { DrfValidationPipe } from './common/validation/drf-validation.pipe';
import { registerBodyParsers } from './common/http/body-parsers';
import { RouteTable } from './common/http/route-table';
import { createLogger, logRequests, PinoLoggerService } from './common/logging/logging';
import type { GatehouseConfig } from './config/gatehouse-config';
import { setupDocs } from './docs/docs.setup';

/**
 * Builds the Gatehouse HTTP app on Fastify, initialised but not listening:
 * `main.ts` listens on the configured port, e2e tests on an ephemeral one.
 */
export async function createApp(
  config: GatehouseConfig,
  options: AppModuleOptions = {},
): Promise<NestFastifyApplication> {
  const logger = createLogger(config.logLevel, options.logStream);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One line per request is written by logRequests(), after the answer.
    logController: new LogController({ disableRequestLogging: true }),
    // Django answers a slash-less path with a 301 and FastAPI a slashed one with
    // a 307; Gatehouse answers both forms directly.
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
  });
  const routes = new RouteTable();
  routes.attach(adapter.getInstance());
  logRequests(adapter.getInstance());

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options),
    adapter,
    {
      bodyParser: false,
      logger: new PinoLoggerService(logger),
      abortOnError: false,
    },
  );
  app.enableShutdownHooks();
  await registerBodyParsers(adapter.getInstance(), config.bodyLimit);
  // DRF's serializer rules for DTOs declared with DRF fields.
  app.useGlobalPipes(new DrfValidationPipe());
  app.useGlobalFilters(new DrfExceptionFilter(`${config.authHeaderTypes[0]} realm="api"`, routes));
  setupDocs(app);
  await app.init();
  return app;
}
