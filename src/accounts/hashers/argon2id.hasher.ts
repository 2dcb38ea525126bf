import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from './password-hasher';

export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** `Algorithm.Argon2id` of @node-rs/argon2 (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;
/** Django's name for its argon2 hasher, the part of its encoding before the PHC string. */
const DJANGO_ALGORITHM = 'argon2';

/**
 * Argon2id in the standard PHC encoding (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`),
 * hashed on libuv's thread pool so the event loop keeps serving. Also verifies
 * Django's `argon2$argon2id$…` and passlib's `$argon2id$…` hashes, and writes
 * Django's form (the PHC string behind Django's algorithm name, as Django's
 * Argon2PasswordHasher writes it) for users whose hash came from Django.
 */
export class Argon2idHasher implements PasswordHasher {
  readonly algorithm = 'argon2id';
  private readonly currentPrefix: string;
  private readonly currentDjangoPrefix: string;

  constructor(private readonly parameters: Argon2Parameters) {
    const { memoryCost: m, timeCost: t, parallelism: p } = parameters;
    this.currentPrefix = `$argon2id$v=19$m=${m},t=${t},p=${p}$`;
    this.currentDjangoPrefix = `${DJANGO_ALGORITHM}${this.currentPrefix}`;
  }

  recognizes(encoded: string): boolean {
    return /^(argon2)?\$argon2(id|i|d)\$(v=\d+\$)?m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.test(
      encoded,
    );
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    // Django prefixes the PHC string with its own algorithm name.
    const phc = encoded.startsWith('argon2$') ? encoded.slice('argon2'.length) : encoded;
    try {
      return await verify(phc, password);
    } catch {
      return false;
    }
  }

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: ARGON2ID, ...this.parameters });
  }

  /** `argon2$argon2id$v=19$…`: what Django's Argon2PasswordHasher (3.2+) writes and verifies. */
  async hashDjango(password: string): Promise<string> {
    return `${DJANGO_ALGORITHM}${await this.hash(password)}`;
  }

  needsRehash(encoded: string): boolean {
    return !encoded.startsWith(this.currentPrefix) && !encoded.startsWith(this.currentDjangoPrefix);
  }
}
