import { availableParallelism } from 'node:os';
// libuv's pool hashes passwords; more threads than cores only makes them fight.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));

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
  await app.listen(config.port, config.host);
  new Logger('Gatehouse').log(startupSummary(config));
}

bootstrap().catch((error: unknown) => {
  // A bad setting is one line naming the variable; anything else keeps its stack.
  console.error(error instanceof ConfigError ? `gatehouse: ${error.message}` : error);
  process.exit(1);
});
