// First: Gatehouse's process settings (thread pool, V8), before any module loads.
import '@gatehouse-auth/nestjs/runtime';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, readDotEnv } from '@gatehouse-auth/nestjs';
import { AcmeAppModule } from './app.module';

/**
 * `npm start`: Acme's service, configured like Gatehouse (environment and .env), in a plain
 * Nest app. (`createGatehouseApp(AcmeAppModule.forRoot(config), config)` would add
 * Gatehouse's JSON request logs and the Swagger document at /docs.)
 */
async function main(): Promise<void> {
  readDotEnv();
  const config = loadConfig();
  const app = await NestFactory.create<NestFastifyApplication>(
    AcmeAppModule.forRoot(config),
    // Gatehouse answers every path with and without its trailing slash, as Django clients expect.
    new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } }),
  );
  app.enableShutdownHooks(); // SIGTERM drains requests and the mail worker, then closes
  await app.listen(config.port, config.host);
}

void main();
