import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
// libuv's pool hashes passwords; more threads than cores only makes them fight.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));
// V8 moves an allocation site's objects straight to the old space once it has
// seen them survive young-generation GCs. Here it decides so while ~1,800 modules
// load at boot, and under concurrent requests, for sites the request path shares
// (streams, HTTP parsing, promises): every request's short-lived objects then pile
// up in the old space until a full GC. Off, `npm run bench` measured ~20 % less
// CPU per authenticated request and ~25 % less peak RSS (README, Benchmark).
// V8 reads the flag at each GC and compile, so setting it here, before boot, holds.
setFlagsFromString('--no-allocation-site-pretenuring');

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
