import type { Writable } from 'node:stream';
import {
  type DynamicModule,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE, DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { GatehouseConfig } from '../config/gatehouse-config';
import { AuthSchemeRegistry } from '../access/auth-scheme.registry';
import { DrfExceptionFilter } from '../dialects/drf/drf-exception.filter';
import { SurfaceValidationAudit } from '../dialects/surface-validation.audit';
import { DrfValidationPipe } from '../dialects/drf/drf-validation.pipe';
import {
  type ExpressAdapterLike,
  refuseForeignBodyParsers,
  serveOnExpress,
} from '../http/adapters/express';
import { fastifyOf, serveOnFastify } from '../http/adapters/fastify';
import { RouteTable } from '../http/route-table';

/** Where the Express adapter writes its request lines (stdout when undefined). */
const REQUEST_LOG_STREAM = Symbol('REQUEST_LOG_STREAM');

/** Whether the surfaces' body parsers are installed (false without an HTTP adapter). */
const BODY_PARSERS = Symbol('BODY_PARSERS');

/**
 * At bootstrap (every `app.use` of the host done): an Express body parser the
 * host added would read bodies before the surfaces could.
 */
@Injectable()
class ForeignBodyParsersCheck implements OnApplicationBootstrap {
  constructor(private readonly host: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const adapter = this.host.httpAdapter;
    if (adapter?.getType() === 'express') {
      refuseForeignBodyParsers((adapter as unknown as ExpressAdapterLike).getInstance());
    }
  }
}

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
        const instance = fastifyOf(host.httpAdapter);
        return instance ? RouteTable.of(instance) : new RouteTable();
      },
    },
    {
      provide: BODY_PARSERS,
      // Before Nest registers any route, or its own parsers (at init): see
      // serveOnFastify and serveOnExpress.
      inject: [HttpAdapterHost, GatehouseConfig, RouteTable, REQUEST_LOG_STREAM],
      useFactory: (
        host: HttpAdapterHost,
        config: GatehouseConfig,
        routes: RouteTable,
        logStream: Writable | undefined,
      ) => {
        const adapter = host.httpAdapter;
        if (!adapter) return false;
        if (adapter.getType() === 'express') {
          serveOnExpress(adapter as unknown as ExpressAdapterLike, config, routes, logStream);
        } else {
          serveOnFastify(adapter, config);
        }
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
    ForeignBodyParsersCheck,
  ],
})
export class HttpPlatformModule {
  /** `logStream`: where request lines go on Express (on Fastify, createGatehouseApp's logger writes them). */
  static forRoot(options: { logStream?: Writable } = {}): DynamicModule {
    return {
      module: HttpPlatformModule,
      providers: [{ provide: REQUEST_LOG_STREAM, useValue: options.logStream }],
    };
  }
}
