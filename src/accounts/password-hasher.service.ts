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

  hash(password: string): Promise<string> {
    return this.preferred.hash(password);
  }

  /** The algorithm of the hasher that verifies `encoded`, if one does (an import must be loginable). */
  recognizes(encoded: string): string | undefined {
    return this.hashers.find((h) => h.recognizes(encoded))?.algorithm;
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
