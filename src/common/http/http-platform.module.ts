import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { GatehouseConfig } from '../../config/gatehouse-config';
import { AuthSchemeRegistry } from '../auth/auth-scheme.registry';
import { DrfExceptionFilter } from '../errors/drf-exception.filter';
import { SurfaceValidationAudit } from '../validation/surface-validation.audit';
import { DrfValidationPipe } from '../validation/drf-validation.pipe';
import { registerBodyParsers } from './body-parsers';
import { RouteTable } from './route-table';

/**
 * The Fastify instance under the Nest app, when there is one (not in the CLI's
 * context). A host app whose adapter cannot serve the surfaces as the standalone
 * service does is refused at boot, with what to change, rather than answering
 * its clients differently.
 */
function fastifyOf(host: HttpAdapterHost): FastifyInstance | undefined {
  const adapter = host.httpAdapter;
  if (!adapter) return undefined;
  if (adapter.getType() !== 'fastify') {
    throw new Error(
      `Gatehouse: the surfaces run on Nest's Fastify adapter, and this app uses "${adapter.getType()}". ` +
        'Create the app with NestFactory.create(AppModule, new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } })) ' +
        "from '@nestjs/platform-fastify', or with createGatehouseApp(AppModule, config).",
    );
  }
  const instance = adapter.getInstance<FastifyInstance>();
  assertBothSlashForms(instance);
  return instance;
}

/**
 * Django clients call every path with its trailing slash and FastAPI clients
 * without: Fastify must route both forms to one handler, which only its
 * constructor can set — so a host app that did not is told so at boot instead
 * of answering 405s to every existing client.
 */
function assertBothSlashForms(instance: FastifyInstance): void {
  const settings = instance.initialConfig as {
    routerOptions?: { ignoreTrailingSlash?: boolean };
    ignoreTrailingSlash?: boolean;
  };
  if (settings.routerOptions?.ignoreTrailingSlash ?? settings.ignoreTrailingSlash) return;
  throw new Error(
    'Gatehouse: every surface answers its paths with and without the trailing slash, and this ' +
      "app's Fastify instance routes only one form. Create it with " +
      'new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } }), ' +
      'or with createGatehouseApp(AppModule, config).',
  );
}

/** Whether the surfaces' body parsers are installed (false without an HTTP adapter). */
const BODY_PARSERS = Symbol('BODY_PARSERS');

/**
 * What every surface needs from the HTTP layer, whoever builds the Nest app:
 * the body parsers, the route table behind 405s, the DRF validation pipe and the
 * dialect-aware exception filter (the global guard comes with AuthModule). A
 * consumer's plain `NestFactory.create(AppModule, new FastifyAdapter())` with
 * GatehouseModule behaves like the standalone app.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: RouteTable,
      inject: [HttpAdapterHost],
      // Attached when providers are built, before Nest registers any route.
      useFactory: (host: HttpAdapterHost) => {
        const instance = fastifyOf(host);
        return instance ? RouteTable.of(instance) : new RouteTable();
      },
    },
    {
      provide: BODY_PARSERS,
      inject: [HttpAdapterHost, GatehouseConfig],
      // Before Nest's own parsers would be added (at init): the adapter is told
      // its parsers are in place, then the surfaces' replace every one of them.
      useFactory: (host: HttpAdapterHost, config: GatehouseConfig) => {
        const instance = fastifyOf(host);
        if (!instance) return false;
        (
          host.httpAdapter as { registerParserMiddleware?: () => void }
        ).registerParserMiddleware?.();
        registerBodyParsers(instance, {
          bytes: config.bodyLimit,
          fields: config.dataUploadMaxNumberFields,
        });
        return true;
      },
    },
    { provide: APP_PIPE, useClass: DrfValidationPipe },
    {
      provide: APP_FILTER,
      inject: [GatehouseConfig, RouteTable, AuthSchemeRegistry],
      useFactory: (config: GatehouseConfig, routes: RouteTable, schemes: AuthSchemeRegistry) =>
        new DrfExceptionFilter(`${config.authHeaderTypes[0]} realm="api"`, routes, schemes),
    },
    SurfaceValidationAudit,
  ],
})
export class HttpPlatformModule {}
