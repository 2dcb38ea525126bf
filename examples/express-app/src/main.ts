// First: Gatehouse's process settings (thread pool, V8), before any module loads.
import '@gatehouse-auth/nestjs/runtime';
import { NestFactory } from '@nestjs/core';
import { GatehouseConfig, readDotEnv } from '@gatehouse-auth/nestjs';
import { AppModule } from './app.module';

/**
 * `npm start`: a plain Nest app on Express (`@nestjs/platform-express`, Nest's default
 * adapter), configured like Gatehouse (environment and .env). No adapter to pass:
 * GatehouseModule sets up its trailing-slash rule, body parsers and headers on Express itself.
 */
async function main(): Promise<void> {
  readDotEnv();
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks(); // SIGTERM drains requests and the mail worker, then closes
  const config = app.get(GatehouseConfig);
  await app.listen(config.port, config.host);
}

void main();
