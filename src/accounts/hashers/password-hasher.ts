/**
 * One password-hashing scheme, in the manner of Django's PASSWORD_HASHERS: the
 * first hasher of the configured list makes new hashes; every hasher in the list
 * verifies the encodings it recognizes, so imported users can log in.
 */
export interface PasswordHasher {
  /** A name for logs and docs, e.g. `argon2id` or `pbkdf2_sha256`. */
  readonly algorithm: string;
  /** Whether `encoded` is a well-formed hash of this hasher's format (imports are refused otherwise). */
  recognizes(encoded: string): boolean;
  /** Checks `password` against `encoded` in constant time; never throws for a malformed hash. */
  verify(password: string, encoded: string): Promise<boolean>;
  /** Makes a new encoded hash. Required of the preferred (first) hasher. */
  hash?(password: string): Promise<string>;
  /**
   * Makes a new hash in the encoding Django's PASSWORD_HASHERS verify
   * (`<algorithm>$…`), for users whose hash came from Django. Without it the
   * preferred hasher's `hash` is used for them too.
   */
  hashDjango?(password: string): Promise<string>;
  /** Whether a hash this hasher recognizes should be replaced on the next successful login. */
  needsRehash?(encoded: string): boolean;
}

/** Injection token for the ordered list of hashers; the first one is preferred. */
export const PASSWORD_HASHERS = Symbol('PASSWORD_HASHERS');
