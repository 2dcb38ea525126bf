import type { AbstractHttpAdapter } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { GatehouseConfig } from '../../config/gatehouse-config';
import { registerBodyParsers } from '../body-parsers';

/**
 * The Fastify instance under the Nest app, when it runs on Fastify. A Fastify
 * instance that routes only one trailing-slash form is refused at boot, with what
 * to change, rather than answering its clients differently.
 */
export function fastifyOf(adapter: AbstractHttpAdapter | undefined): FastifyInstance | undefined {
  if (!adapter || adapter.getType() !== 'fastify') return undefined;
  const instance = adapter.getInstance<FastifyInstance>();
  assertBothSlashForms(instance);
  return instance;
}

/**
 * What GatehouseModule sets up itself on a Fastify app (before Nest's own parsers
 * would be added at init: the adapter is told its parsers are in place, then the
 * surfaces' replace every one of them).
 */
export function serveOnFastify(adapter: AbstractHttpAdapter, config: GatehouseConfig): void {
  const instance = fastifyOf(adapter);
  if (!instance) {
    throw new Error(
      `Gatehouse: the surfaces run on Nest's Fastify or Express adapter, and this app uses "${adapter.getType()}". ` +
        "Create the app with NestFactory.create(AppModule) ('@nestjs/platform-express'), with " +
        'NestFactory.create(AppModule, new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } })) ' +
        "('@nestjs/platform-fastify'), or with createGatehouseApp(AppModule, config).",
    );
  }
  (adapter as { registerParserMiddleware?: () => void }).registerParserMiddleware?.();
  registerBodyParsers(instance, {
    bytes: config.bodyLimit,
    fields: config.dataUploadMaxNumberFields,
  });
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
