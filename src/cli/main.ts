import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { readDotEnv } from '../config/dotenv';
import { ConfigError, loadConfig } from '../config/load-config';
import { tailEventsCommand } from './audit.commands';
import { CliModule } from './cli.module';
import { type CommandSpec, UsageError } from './command';
import { createProviderCommand } from './provider.commands';
import { flushExpiredTokensCommand } from './token.commands';
import { createUserCommand, describeStoreError, setPasswordCommand } from './user.commands';

const COMMANDS: CommandSpec[] = [
  createUserCommand,
  setPasswordCommand,
  flushExpiredTokensCommand,
  createProviderCommand,
  tailEventsCommand,
];

function help(): string {
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    ...COMMANDS.flatMap((c) => [`  ${c.usage}`, `      ${c.description}`]),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`gatehouse: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    const { values } = parseArgs({
      args: rest,
      options: command.options,
      strict: true,
      allowPositionals: false,
    });
    readDotEnv();
    const config = loadConfig(process.env);
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
      logger: false,
      abortOnError: false,
    });
    try {
      console.log(await command.run(app, values as Record<string, string | boolean | undefined>));
    } finally {
      await app.close();
    }
    return 0;
  } catch (error) {
    const storeMessage = describeStoreError(error);
    if (error instanceof UsageError || storeMessage) {
      console.error(`gatehouse ${name}: ${storeMessage ?? (error as Error).message}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(`gatehouse: ${error.message}`);
      return 1;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`gatehouse ${name}: ${error.message}\n  usage: ${command.usage}`);
      return 2;
    }
    console.error(error);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
