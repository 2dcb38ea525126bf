import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../src/app.module';
import { setupDocs } from '../../src/docs/docs.setup';
import { createApp } from '../../src/app.factory';
import type { AppModuleOptions } from '../../src/app.module';
import type { GatehouseConfig } from '../../src/config/gatehouse-config';
import { loadConfig } from '../../src/config/load-config';
import { checkResponsesAgainstDocument } from './openapi-responses';
import { createTestDatabase, type TestDatabase } from './test-database';

export const GENEROUS_THROTTLE_RATES = ['login', 'mail', 'confirm']
  .flatMap((scope) => [`${scope}=100000/minute`, `${scope}_address=100000/minute`])
  .concat('mail_account=100000/minute')
  .join(',');

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  config: GatehouseConfig;
  database: TestDatabase;
  baseUrl: string;
  http: HttpClient;
  close(): Promise<void>;
}

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

/** Test defaults: a fixed secret, a private data dir, quiet logs, light argon2 for speed. */
export function testEnvironment(
  databaseUrl: string,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-data-')),
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    // Specs hammer endpoints on purpose; the throttling spec sets its own low rates.
    DEFAULT_THROTTLE_RATES: GENEROUS_THROTTLE_RATES,
    ...env,
  };
}

/** Boots the real app (Fastify, real database, migrations) on an ephemeral loopback port. */
/** A log stream for `startTestApp({ logStream })`, and the lines written to it so far. */
export function captureLogs(): { stream: PassThrough; lines: string[] } {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  return { stream, lines };
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig(testEnvironment(database.url, options.env));
  const appOptions = {
    logStream: options.logStream,
    imports: options.imports,
    jwtClaimsProvider: options.jwtClaimsProvider,
  };
  let app: NestFastifyApplication;
  if (options.adapter === 'express') {
    const express: INestApplication = await NestFactory.create(
      AppModule.forRoot(config, appOptions),
      { logger: false, abortOnError: false },
    );
    if (config.docsEnabled !== false) setupDocs(express);
    await express.init();
    // The Fastify-only members (the instance's hooks) are not used on this one.
    app = express as unknown as NestFastifyApplication;
  } else {
    app = await createApp(config, appOptions);
    checkResponsesAgainstDocument(app.getHttpAdapter().getInstance(), config.allowedHosts);
  }
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    config,
    database,
    baseUrl,
    http: new HttpClient(baseUrl),
    async close() {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as-is (set the content type in headers). */
  body?: string | Buffer | FormData | URLSearchParams;
  redirect?: RequestRedirect;
  /** Aborts (the request throws) when no answer came within this time: a hang fails the spec. */
  timeoutMs?: number;
}

/** A small fetch wrapper that parses JSON answers and keeps the raw text. */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body as BodyInit | undefined,
      redirect: options.redirect ?? 'manual',
      signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed as T };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }

  post<T = any>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, {
      ...options,
      json: options.body === undefined ? json : undefined,
    });
  }
}
