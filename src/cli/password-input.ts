import type { INestApplicationContext } from '@nestjs/common';
import type { ParseArgsConfig } from 'node:util';
import { PasswordValidationService } from '../password/password-validation.service';
import type { PasswordUserContext } from '../password/password-validators';
import { CommandError, UsageError } from './command';
import { canPrompt, promptHidden } from './prompt';

const MAX_PASSWORD_LENGTH = 4096;

/** The options of every command that sets a password. */
export const PASSWORD_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  password: { type: 'string' },
  'skip-password-validation': { type: 'boolean' },
};

export const PASSWORD_HELP = [
  '--password P                  the password; absent on a terminal: asked for, hidden, twice',
  "--skip-password-validation    store it even if Django's validators refuse it",
];

/**
 * The new password of a command, as Django's createsuperuser and changepassword
 * take it: from `--password`, or typed twice without echo on a terminal; checked
 * by the password validators unless `--skip-password-validation` is given.
 */
export async function newPassword(
  app: INestApplicationContext,
  values: Record<string, string | boolean | undefined>,
  user: PasswordUserContext,
): Promise<string> {
  const validation = app.get(PasswordValidationService);
  const skip = Boolean(values['skip-password-validation']);
  const given = values.password as string | undefined;
  if (given !== undefined) {
    if (given.length === 0) throw new UsageError('--password must not be empty');
    checkLength(given);
    const problems = skip ? [] : await validation.messages(given, user);
    if (problems.length > 0) {
      throw new CommandError(
        `--password refused: ${problems.join(' ')} (--skip-password-validation stores it anyway)`,
      );
    }
    return given;
  }
  if (!canPrompt()) {
    throw new UsageError('--password is required (or run the command in a terminal to be asked)');
  }
  for (;;) {
    const first = await promptHidden('Password: ');
    const second = await promptHidden('Password (again): ');
    if (first !== second) {
      console.error("Error: Your passwords didn't match.");
      continue;
    }
    if (first.trim() === '') {
      console.error("Error: Blank passwords aren't allowed.");
      continue;
    }
    checkLength(first);
    const problems = skip ? [] : await validation.messages(first, user);
    if (problems.length === 0) return first;
    for (const problem of problems) console.error(problem);
  }
}

function checkLength(password: string): void {
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new UsageError(`--password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}
