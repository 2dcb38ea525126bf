import type { INestApplicationContext } from '@nestjs/common';
import type { ParseArgsConfig } from 'node:util';

/** Wrong or missing arguments: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandSpec {
  name: string;
  usage: string;
  description: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Returns what to print on success. */
  run(
    app: INestApplicationContext,
    values: Record<string, string | boolean | undefined>,
  ): Promise<string>;
}
