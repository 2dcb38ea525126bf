import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readDotEnv } from '../config/dotenv';
import { loadConfig } from '../config/load-config';
import { CliModule } from './cli.module';
import { runCommandLine } from './run';

/** The standalone service's `npm run cli -- <command>`: CliModule, fed from the environment and .env. */
runCommandLine(
  {
    program: 'npm run cli --',
    async openContext() {
      readDotEnv();
      const config = loadConfig(process.env);
      return NestFactory.createApplicationContext(CliModule.forRoot(config), {
        logger: false,
        abortOnError: false,
      });
    },
  },
  process.argv.slice(2),
).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
