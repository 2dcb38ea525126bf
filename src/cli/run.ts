import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { ConfigError } from '../config/load-config';
import { tailEventsCommand } from './audit.commands';
import { CommandError, type CommandSpec, UsageError } from './command';
import { createProviderCommand } from './provider.commands';
import { resetMfaCommand } from './mfa.commands';
import { listSessionsCommand, revokeSessionsCommand } from './session.commands';
import {
  createTokenCommand,
  flushExpiredTokensCommand,
  revokeTokenCommand,
} from './token.commands';
import {
  createUserCommand,
  deactivateUserCommand,
  describeStoreError,
  listUsersCommand,
  setPasswordCommand,
} from './user.commands';
import { importDjangoCommand, importFastapiUsersCommand } from './import.commands';
import { exportDjangoCommand } from './export.commands';

export const COMMANDS: CommandSpec[] = [
  createUserCommand,
  setPasswordCommand,
  listUsersCommand,
  deactivateUserCommand,
  createTokenCommand,
  revokeTokenCommand,
  flushExpiredTokensCommand,
  listSessionsCommand,
  revokeSessionsCommand,
  resetMfaCommand,
  createProviderCommand,
  importDjangoCommand,
  importFastapiUsersCommand,
  exportDjangoCommand,
  tailEventsCommand,
];

/** How a command line reaches Gatehouse: the standalone service's module, or a host app's. */
export interface CommandLine {
  /** How the command is typed, for the usage lines: `npm run cli --` or `npx gatehouse …`. */
  program: string;
  /** Options every command of this program takes (the bin's `--module`), with their help. */
  globalHelp?: string[];
  /** The application context the commands run in, once the arguments parsed. */
  openContext(): Promise<INestApplicationContext>;
}

const HELP_FLAGS = new Set(['--help', '-h']);

/** The command list, as `manage.py help` prints it. */
function help(cli: CommandLine): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${cli.program} <command> [options]`,
    `       ${cli.program} <command> --help`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${firstSentence(c.description)}`),
    '',
    'Every command takes --json: one JSON document on stdout instead of text.',
    ...(cli.globalHelp ?? []),
    'Settings come from the environment and .env, as for the service.',
  ].join('\n');
}

function commandHelp(cli: CommandLine, command: CommandSpec): string {
  return [
    `Usage: ${cli.program} ${command.usage}`,
    '',
    command.description,
    '',
    'Options:',
    ...(command.help ?? []).map((line) => `  ${line}`),
    '  --json                        one JSON document on stdout (progress stays on stderr)',
    '  --help, -h                    show this help',
  ].join('\n');
}

const firstSentence = (text: string) => /^.*?\.(?=\s|$)/.exec(text)?.[0] ?? text;

/**
 * Runs one command line, as Django's manage.py does: the command's arguments
 * checked first, then the application context opened, the command run, and
 * the context closed. Returns the exit code (0, 1 refused, 2 usage).
 */
export async function runCommandLine(cli: CommandLine, argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || HELP_FLAGS.has(name)) {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    console.log(topic ? commandHelp(cli, topic) : help(cli));
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`gatehouse: unknown command "${name}"\n\n${help(cli)}`);
    return 2;
  }
  if (rest.some((arg) => HELP_FLAGS.has(arg))) {
    console.log(commandHelp(cli, command));
    return 0;
  }
  const json = rest.includes('--json');
  const fail = (message: string, code: number): number => {
    console.error(message);
    if (json) console.log(JSON.stringify({ error: message }));
    return code;
  };
  try {
    const { values } = parseArgs({
      args: rest,
      options: { ...command.options, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    const app = await cli.openContext();
    try {
      const output = await command.run(app, values);
      if (values.json) {
        console.log(JSON.stringify(typeof output === 'string' ? { result: output } : output.json));
      } else {
        console.log(typeof output === 'string' ? output : output.text);
      }
    } finally {
      await app.close();
    }
    return 0;
  } catch (error) {
    const storeMessage = describeStoreError(error);
    if (error instanceof UsageError || storeMessage) {
      return fail(`gatehouse ${name}: ${storeMessage ?? (error as Error).message}`, 2);
    }
    if (error instanceof CommandError) return fail(`gatehouse ${name}: ${error.message}`, 1);
    if (error instanceof ConfigError) return fail(`gatehouse: ${error.message}`, 1);
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      return fail(`gatehouse ${name}: ${error.message}\n  usage: ${command.usage}`, 2);
    }
    console.error(error);
    if (json) console.log(JSON.stringify({ error: (error as Error).message ?? String(error) }));
    return 1;
  }
}
