/**
 * `@gatehouse-auth/nestjs/testing`: a test kit for the e2e tests of an app that
 * imports GatehouseModule (and for Gatehouse's own). See docs/testing.md.
 *
 * - `startApp(root, options)` — the app on a throw-away database (a SQLite file, or a
 *   fresh PostgreSQL schema) on an ephemeral loopback port;
 * - `app.createUser({...})` — a user made through Gatehouse's services, with its password;
 * - `app.loginAs(user, 'JWT' | 'Bearer' | 'Token' | 'cookie')` — a client carrying that credential;
 * - `mailbox()` — an SMTP server on loopback catching the app's mails, links parsed.
 *
 * `mailbox()` needs the optional peers `smtp-server` and `mailparser` (dev dependencies).
 */
export {
  startApp,
  standaloneGatehouse,
  testEnvironment,
  GENEROUS_THROTTLE_RATES,
  TEST_JWT_SECRET,
  type AdapterOption,
  type RootModule,
  type StartAppOptions,
  type TestApp,
} from './start-app';
export {
  createDatabase,
  postgresUrlFromEnvironment,
  withPostgresClient,
  type ThrowawayDatabase,
  type ThrowawayDatabaseOptions,
} from './database';
export { createUser, type TestUser, type UserFactoryInput } from './users';
export {
  logIn,
  LoggedInClient,
  DEFAULT_LOGIN_PATHS,
  type IssuedCredentials,
  type LoginCredentials,
  type LoginPaths,
  type LoginScheme,
} from './login';
export {
  HttpClient,
  type HttpClientOptions,
  type HttpResponse,
  type RequestOptions,
} from './http-client';
export {
  Mailbox,
  mailbox,
  linkIn,
  linksIn,
  parseLink,
  type MailLink,
  type ReceivedMail,
} from './mailbox';
