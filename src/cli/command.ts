import type { INestApplicationContext } from '@nestjs/common';
import type { ParseArgsConfig } from 'node:util';

/** Wrong or missing arguments: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The arguments are well formed but the command refuses them (a weak password,
 * a hash no hasher verifies), as Django's CommandError: one line, exit code 1.
 */
export class CommandError extends Error {
  override name = 'CommandError';
}

export interface CommandSpec {
  name: string;
  usage: string;
  description: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** One line per option for `<command> --help`, e.g. `--email E   the user's e-mail address`. */
  help?: string[];
  /**
   * Returns what to print on success: a text for people, or a text and the JSON
   * document `--json` prints instead (without one, `--json` prints `{"result": text}`).
   */
  run(
    app: INestApplicationContext,
    values: Record<string, string | boolean | undefined>,
  ): Promise<string | CommandOutput>;
}

export interface CommandOutput {
  text: string;
  json: unknown;
}
