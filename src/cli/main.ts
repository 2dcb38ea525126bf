import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { readDotEnv } from '../config/dotenv';
import { ConfigError, loadConfig } from '../config/load-config';
import { tailEventsCommand } from './audit.commands';
import { CliModule } from './cli.module';
import { CommandError, type CommandSpec, UsageError } from './command';
import { createProviderCommand } from './provider.commands';
import { createTokenCommand, flushExpiredTokensCommand } from './token.commands';
import {
  createUserCommand,
  deactivateUserCommand,
  describeStoreError,
  listUsersCommand,
  setPasswordCommand,
} from './user.commands';
import { importDjangoCommand, importFastapiUsersCommand } from '../migration/import.commands';

const COMMANDS: CommandSpec[] = [
  createUserCommand,
  setPasswordCommand,
  listUsersCommand,
  deactivateUserCommand,
  createTokenCommand,
  flushExpiredTokensCommand,
  createProviderCommand,
  importDjangoCommand,
  importFastapiUsersCommand,
  tailEventsCommand,
];

const HELP_FLAGS = new Set(['--help', '-h']);

/** The command list, as `manage.py help` prints it. */
function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: npm run cli -- <command> [options]',
    '       npm run cli -- <command> --help',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${firstSentence(c.description)}`),
    '',
    'Settings come from the environment and .env, as for the service.',
  ].join('\n');
}

function commandHelp(command: CommandSpec): string {
  return [
    `Usage: npm run cli -- ${command.usage}`,
    '',
    command.description,
    ...(command.help?.length ? ['', 'Options:', ...command.help.map((line) => `  ${line}`)] : []),
    '  --help, -h                    show this help',
  ].join('\n');
}

const firstSentence = (text: string) => /^.*?\.(?=\s|$)/.exec(text)?.[0] ?? text;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || HELP_FLAGS.has(name)) {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    console.log(topic ? commandHelp(topic) : help());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`gatehouse: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.some((arg) => HELP_FLAGS.has(arg))) {
    console.log(commandHelp(command));
    return 0;
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
    if (error instanceof CommandError) {
      console.error(`gatehouse ${name}: ${error.message}`);
      return 1;
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
