// First: the process settings Gatehouse runs with, before any module loads.
import './runtime';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { readDotEnv } from './config/dotenv';
import { ConfigError, loadConfig } from './config/load-config';
import { startupSummary } from './startup-summary';

async function bootstrap(): Promise<void> {
  readDotEnv();
  const config = loadConfig(process.env);
  const app = await createApp(config);
  boundShutdown(config.shutdownTimeout);
  await app.listen(config.port, config.host);
  new Logger('Gatehouse').log(startupSummary(config));
}

/**
 * On SIGTERM/SIGINT Nest closes the app (its shutdown hooks): Fastify stops
 * accepting and drains in-flight requests, the mail worker finishes its attempt,
 * the database and Redis close. This bounds the whole: past it, the process exits.
 */
function boundShutdown(seconds: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        new Logger('Gatehouse').error(`shutdown took longer than ${seconds} s; exiting`);
        process.exit(1);
      }, seconds * 1000).unref();
    });
  }
}

bootstrap().catch((error: unknown) => {
  // A bad setting is one line naming the variable; anything else keeps its stack.
  console.error(error instanceof ConfigError ? `gatehouse: ${error.message}` : error);
  process.exit(1);
});
