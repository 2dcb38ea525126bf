import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { DynamicModule, INestApplication, NestApplicationOptions, Type } from '@nestjs/common';
import { type AbstractHttpAdapter, NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGatehouseApp, initOrRelease } from '../app.factory';
import { AppModule, type AppModuleOptions } from '../app.module';
import type { GatehouseConfig } from '../config/gatehouse-config';
import { loadConfig } from '../config/load-config';
import { createDatabase, type ThrowawayDatabase, type ThrowawayDatabaseOptions } from './database';
import { HttpClient } from './http-client';
import {
  type LoggedInClient,
  logIn,
  type LoginCredentials,
  type LoginPaths,
  type LoginScheme,
} from './login';
import { Mailbox } from './mailbox';
import { createUser, type TestUser, type UserFactoryInput } from './users';

/** Rates no test reaches: specs hammer login and mail endpoints on purpose. */
export const GENEROUS_THROTTLE_RATES = ['login', 'mail', 'confirm', 'sessions', 'mfa', 'mfa_code']
  .flatMap((scope) => [`${scope}=100000/minute`, `${scope}_address=100000/minute`])
  .concat('mail_account=100000/minute')
  .join(',');

/** The JWT secret a test app signs with (fixed, so a test can mint or check tokens). */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/**
 * Settings for a test app: a fixed secret, a private data dir, no logs, rates no
 * test reaches; `env` on top.
 */
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
    DEFAULT_THROTTLE_RATES: GENEROUS_THROTTLE_RATES,
    ...env,
  };
}

/**
 * The app to start: your root module made from the test's settings
 * (`(config) => AppModule.forRoot(config)`, the usual form, since
 * `GatehouseModule.forRoot` takes them), or a module as it is (it then reads
 * the test settings from `process.env`, e.g. through `forRootAsync`).
 */
export type RootModule =
  | Type
  | DynamicModule
  | ((config: GatehouseConfig) => Type | DynamicModule | Promise<Type | DynamicModule>);

/** An HTTP adapter for the app, or a factory making one from the settings. */
export type AdapterOption =
  | AbstractHttpAdapter
  | ((config: GatehouseConfig) => AbstractHttpAdapter | Promise<AbstractHttpAdapter>);

export interface StartAppOptions {
  /** Gatehouse environment variables on top of the test defaults (`JWT_AUTH_COOKIE`, …). */
  env?: Record<string, string>;
  /**
   * Where the data goes: a database made earlier (a second instance on the same
   * data: it is not dropped on close), or how to make the throw-away one.
   */
  database?: ThrowawayDatabase | ThrowawayDatabaseOptions;
  /**
   * The HTTP adapter (an instance, or a factory given the settings). Absent: the
   * app is built as Gatehouse runs standalone (`createGatehouseApp`: Fastify,
   * its body limit, trailing-slash rule, logs and Swagger document).
   */
  adapter?: AdapterOption;
  /** With `adapter`: options for `NestFactory.create` (default `{ logger: false }`). */
  appOptions?: NestApplicationOptions;
  /** Catch the app's mails: a Mailbox you started, or `true` for one started (and stopped) here. */
  mailbox?: Mailbox | true;
  /** Where the JSON logs go (without `adapter`). */
  logStream?: Writable;
  /** With `adapter`: runs before the app is initialised (routes such as Swagger's go here). */
  beforeInit?: (app: INestApplication, config: GatehouseConfig) => void | Promise<void>;
  /** Runs after the app is initialised, before it listens. */
  beforeListen?: (app: INestApplication, config: GatehouseConfig) => void | Promise<void>;
  /** The login paths of `loginAs`, where the app mounts a surface under a prefix. */
  loginPaths?: Partial<LoginPaths>;
}

export interface TestApp<App extends INestApplication = NestFastifyApplication> {
  app: App;
  config: GatehouseConfig;
  database: ThrowawayDatabase;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** An anonymous client. */
  http: HttpClient;
  /** The mailbox given (or started) with `mailbox`. */
  mailbox?: Mailbox;
  /** Makes a user through Gatehouse's UsersService; returns it with its clear password. */
  createUser(input?: UserFactoryInput): Promise<TestUser>;
  /** Logs a user in through the scheme's real endpoint; the client carries the credential. */
  loginAs(user: LoginCredentials | TestUser, scheme: LoginScheme): Promise<LoggedInClient>;
  /** Closes the app, then drops the database it made and stops the mailbox it started. */
  close(): Promise<void>;
}

/** Gatehouse's own standalone app, as the root of `startApp`. */
export function standaloneGatehouse(options: AppModuleOptions = {}): RootModule {
  return (config) => AppModule.forRoot(config, options);
}

/** A class (a module), as opposed to a function making the root module from the settings. */
function isClass(value: unknown): value is Type {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
}

/**
 * Starts a host app that imports GatehouseModule (or Gatehouse's standalone
 * app, when `root` is absent) on a throw-away database and an ephemeral
 * loopback port.
 */
export async function startApp<App extends INestApplication = NestFastifyApplication>(
  root: RootModule = standaloneGatehouse(),
  options: StartAppOptions = {},
): Promise<TestApp<App>> {
  const given = options.database && 'url' in options.database ? options.database : undefined;
  const database =
    given ?? (await createDatabase(options.database as ThrowawayDatabaseOptions | undefined));
  const ownMailbox = options.mailbox === true ? await Mailbox.start() : undefined;
  const mailbox = ownMailbox ?? (options.mailbox instanceof Mailbox ? options.mailbox : undefined);
  const env = testEnvironment(database.url, {
    ...(mailbox ? { SMTP_URL: mailbox.url } : {}),
    ...options.env,
  });
  const restoreEnv: [string, string | undefined][] = [];
  const cleanUp = async () => {
    for (const [name, value] of restoreEnv.splice(0)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (!options.env?.DATA_DIR) rmSync(env.DATA_DIR, { recursive: true, force: true });
    await ownMailbox?.stop();
    if (!given) await database.drop();
  };

  let app: INestApplication | undefined;
  try {
    const config = loadConfig(env);
    let module: Type | DynamicModule;
    if (typeof root === 'function' && !isClass(root)) {
      module = await root(config);
    } else {
      // A module as it is reads its settings itself: give it the test's in process.env.
      for (const [name, value] of Object.entries(env)) {
        restoreEnv.push([name, process.env[name]]);
        process.env[name] = value;
      }
      module = root as Type | DynamicModule;
    }
    if (options.adapter) {
      const adapter =
        typeof options.adapter === 'function' ? await options.adapter(config) : options.adapter;
      app = await NestFactory.create(module, adapter, {
        logger: false,
        abortOnError: false,
        ...options.appOptions,
      });
      await options.beforeInit?.(app, config);
      await initOrRelease(app);
    } else {
      app = await createGatehouseApp(module, config, { logStream: options.logStream });
    }
    await options.beforeListen?.(app, config);
    await app.listen(0, '127.0.0.1');
    const address = (app.getHttpServer() as { address(): unknown }).address();
    const port = typeof address === 'object' && address ? (address as { port: number }).port : 0;
    const baseUrl = `http://127.0.0.1:${port}`;
    const started = app;
    return {
      app: started as App,
      config,
      database,
      baseUrl,
      http: new HttpClient(baseUrl),
      mailbox,
      createUser: (input) => createUser(started, input),
      loginAs: (user, scheme) => logIn(baseUrl, config, user, scheme, options.loginPaths),
      async close() {
        try {
          await started.close();
        } finally {
          await cleanUp();
        }
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await cleanUp();
    throw error;
  }
}
