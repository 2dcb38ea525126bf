// First: the process settings Gatehouse runs with, before any module loads.
import './runtime';
import 'reflect-metadata';
import { type INestApplication, Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { readDotEnv } from './config/dotenv';
import { ConfigError, loadConfig } from './config/load-config';
import { startupSummary } from './startup-summary';

async function bootstrap(): Promise<void> {
  readDotEnv();
  const config = loadConfig(process.env);
  const app = await createApp(config);
  stopOnSignals(app, config.shutdownTimeout);
  await app.listen(config.port, config.host);
  new Logger('Gatehouse').log(startupSummary(config));
}

/**
 * On SIGTERM/SIGINT the app closes (its shutdown hooks): Fastify stops accepting
 * and drains in-flight requests, the mail worker finishes its attempt, the database
 * and Redis close; then the process exits 0 (a re-raised signal, Nest's way, is an
 * exit 143 that supervisors count as a crash). Past `seconds` it exits 1. A second
 * signal changes nothing: `npm start` forwards one while the group may get its own.
 */
function stopOnSignals(app: INestApplication, seconds: number): void {
  const logger = new Logger('Gatehouse');
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.log(`${signal} received: draining (at most ${seconds} s)`);
      setTimeout(() => {
        logger.error(`shutdown took longer than ${seconds} s; exiting`);
        process.exit(1);
      }, seconds * 1000).unref();
      app.close().then(
        () => {
          logger.log('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(
            `shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          process.exit(1);
        },
      );
    });
  }
}

bootstrap().catch((error: unknown) => {
  // A bad setting is one line naming the variable; anything else keeps its stack.
  console.error(error instanceof ConfigError ? `gatehouse: ${error.message}` : error);
  process.exit(1);
});
