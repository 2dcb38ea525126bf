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

/** The Fastify instance under the Nest app, when there is one (not in the CLI's context). */
function fastifyOf(host: HttpAdapterHost): FastifyInstance | undefined {
  return host.httpAdapter?.getInstance?.<FastifyInstance>();
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
