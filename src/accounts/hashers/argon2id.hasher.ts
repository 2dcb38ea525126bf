import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from './password-hasher';

export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** `Algorithm.Argon2id` of @node-rs/argon2 (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;

/**
 * Argon2id in the standard PHC encoding (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`),
 * hashed on libuv's thread pool so the event loop keeps serving. Also verifies
 * Django's `argon2$argon2id$…` and passlib's `$argon2id$…` hashes.
 */
export class Argon2idHasher implements PasswordHasher {
  readonly algorithm = 'argon2id';
  private readonly currentPrefix: string;

  constructor(private readonly parameters: Argon2Parameters) {
    const { memoryCost: m, timeCost: t, parallelism: p } = parameters;
    this.currentPrefix = `$argon2id$v=19$m=${m},t=${t},p=${p}$`;
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

  needsRehash(encoded: string): boolean {
    return !encoded.startsWith(this.currentPrefix);
  }
}
