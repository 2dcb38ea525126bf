import { PassThrough, type Writable } from 'node:stream';
import type { DynamicModule, Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { AppModuleOptions } from '../../src/app.module';
import { setupDocs } from '../../src/docs/docs.setup';
import { standaloneGatehouse, startApp, type TestApp as KitTestApp } from '../../src/testing';
import {
  checkExpressResponsesAgainstDocument,
  checkResponsesAgainstDocument,
} from './openapi-responses';
import type { TestDatabase } from './test-database';

// The start-up and HTTP helpers are the test kit's (`@gatehouse-auth/nestjs/testing`);
// what follows keeps the names the specs import.
export {
  GENEROUS_THROTTLE_RATES,
  HttpClient,
  TEST_JWT_SECRET,
  testEnvironment,
  type HttpResponse,
  type RequestOptions,
} from '../../src/testing';

/** The standalone app started by the kit: also `createUser(...)` and `loginAs(user, scheme)`. */
export type TestApp = KitTestApp;

export interface TestAppOptions {
  /** Environment variables on top of the test defaults. */
  env?: Record<string, string>;
  /** Reuse a database (a second instance on the same data). */
  database?: TestDatabase;
  logStream?: Writable;
  /** Modules mounted beside Gatehouse's own (test probes). */
  imports?: (Type | DynamicModule)[];
  jwtClaimsProvider?: AppModuleOptions['jwtClaimsProvider'];
  /**
   * 'express': the same root module in a plain `NestFactory.create(AppModule)`
   * Express app, as a host app builds it (Gatehouse's docs set up beside it), instead
   * of the standalone Fastify app createApp builds.
   */
  adapter?: 'fastify' | 'express';
}

/** A log stream for `startTestApp({ logStream })`, and the lines written to it so far. */
export function captureLogs(): { stream: PassThrough; lines: string[] } {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  return { stream, lines };
}

/**
 * Boots the standalone app (Fastify, real database, migrations) on an ephemeral
 * loopback port through the kit's `startApp`, every answer checked against
 * docs/openapi.json. With `adapter: 'express'`, the same root module in a plain
 * `NestFactory.create(AppModule)` Express app, as a host app builds it (its
 * answers checked against the document too).
 */
export function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const express = options.adapter === 'express';
  return startApp(
    standaloneGatehouse({
      imports: options.imports,
      jwtClaimsProvider: options.jwtClaimsProvider,
      // On Express, Gatehouse writes its request lines itself (GatehouseModule's `logStream`).
      ...(express ? { logStream: options.logStream } : {}),
    }),
    {
      env: options.env,
      // A whole database per spec file on PostgreSQL (see createTestDatabase).
      database: options.database ?? { isolation: 'database' },
      logStream: options.logStream,
      ...(express
        ? {
            adapter: () => new ExpressAdapter(),
            // Gatehouse's docs beside it, as createGatehouseApp sets them up.
            beforeInit: (app, config) => {
              // Ahead of the routes, which Nest registers at init.
              app.use(checkExpressResponsesAgainstDocument(config.allowedHosts));
              if (config.docsEnabled !== false) setupDocs(app);
            },
          }
        : {
            beforeListen: (app, config) =>
              checkResponsesAgainstDocument(
                app.getHttpAdapter().getInstance(),
                config.allowedHosts,
              ),
          }),
    },
  );
}
