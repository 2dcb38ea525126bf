import { Inject, Injectable } from '@nestjs/common';
import { PASSWORD_HASHERS, type PasswordHasher } from './hashers/password-hasher';

type PreferredHasher = PasswordHasher & Required<Pick<PasswordHasher, 'hash'>>;

export interface PasswordCheck {
  valid: boolean;
  /** The password was right but its hash is not in the preferred format: store `hash(password)`. */
  needsRehash: boolean;
}

/** Hashes with the preferred hasher; verifies with whichever hasher recognizes the encoding. */
@Injectable()
export class PasswordHasherService {
  private readonly preferred: PreferredHasher;
  private dummyHash?: Promise<string>;

  constructor(@Inject(PASSWORD_HASHERS) private readonly hashers: PasswordHasher[]) {
    const [preferred] = hashers;
    if (!preferred?.hash) {
      throw new Error('The first password hasher must be able to hash new passwords');
    }
    this.preferred = preferred as PreferredHasher;
  }

  /**
   * A new hash of `password` with the preferred hasher. It keeps the dialect of
   * the hash it replaces (`replacing`): a user whose hash came from Django
   * (`pbkdf2_sha256$…`, `argon2$…`, `bcrypt_sha256$…`, Django's unusable
   * `!<random>`) gets one Django verifies (`argon2$argon2id$…`), so the user can
   * be written back (`export:django`) or keep logging in to a Django still
   * sharing it; fastapi-users' and Gatehouse's own users get the PHC string.
   */
  hash(password: string, replacing?: string | null): Promise<string> {
    if (replacing && isDjangoEncoding(replacing) && this.preferred.hashDjango) {
      return this.preferred.hashDjango(password);
    }
    return this.preferred.hash(password);
  }

  /** The algorithm of the hasher that verifies `encoded`, if one does (an import must be loginable). */
  recognizes(encoded: string): string | undefined {
    return this.hashers.find((h) => h.recognizes(encoded))?.algorithm;
  }

  /** Django's has_usable_password: not an unusable (`!…`) hash. */
  isUsable(encoded: string | null | undefined): boolean {
    return !!encoded && !encoded.startsWith('!');
  }

  /** Whether a stored hash can be kept as is: unusable (`!…`, Django's) or in a format a hasher verifies. */
  canStore(encoded: string): boolean {
    return encoded.startsWith('!') || this.recognizes(encoded) !== undefined;
  }

  async check(password: string, encoded: string | null | undefined): Promise<PasswordCheck> {
    const hasher = encoded ? this.hashers.find((h) => h.recognizes(encoded)) : undefined;
    if (!encoded || !hasher) {
      // Unusable or unknown hash (Django writes `!…`): spend the same time, then refuse.
      await this.spendVerifyTime(password);
      return { valid: false, needsRehash: false };
    }
    const valid = await hasher.verify(password, encoded);
    const needsRehash =
      valid && (hasher !== this.preferred || (this.preferred.needsRehash?.(encoded) ?? false));
    return { valid, needsRehash };
  }

  /**
   * Costs what a real verification costs, for a user that does not exist, so
   * login time does not tell whether an e-mail is registered.
   */
  async spendVerifyTime(password: string): Promise<void> {
    this.dummyHash ??= this.preferred.hash('gatehouse-timing-equalizer');
    await this.preferred.verify(password, await this.dummyHash);
  }

  /**
   * Costs what hashing a new password costs, for a sign-up refused because its
   * address or username is taken, so its time does not tell more than the answer.
   */
  async spendHashTime(password: string): Promise<void> {
    await this.preferred.hash(password);
  }
}

/**
 * Whether a stored hash is in Django's encoding: `<algorithm>$…` (Django's
 * identify_hasher reads the name before the first `$`), or an unusable password
 * as Django's make_password(None) writes it (`!` and 40 random characters;
 * Gatehouse's own unusable password is a bare `!`). passlib's and Gatehouse's
 * PHC strings start with `$`.
 */
export function isDjangoEncoding(encoded: string): boolean {
  return /^[a-z][a-z0-9_]*\$/.test(encoded) || /^![^$]{20,}$/.test(encoded);
}
