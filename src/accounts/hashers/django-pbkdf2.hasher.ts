import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { PasswordHasher } from './password-hasher';

const pbkdf2Async = promisify(pbkdf2);
const DIGESTS = { pbkdf2_sha256: 'sha256', pbkdf2_sha1: 'sha1' } as const;
/** Beyond any real Django setting; a larger count in a stored hash is treated as corrupt. */
const MAX_ITERATIONS = 10_000_000;

/** Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` and its `pbkdf2_sha1` sibling. */
export class DjangoPbkdf2Hasher implements PasswordHasher {
  readonly algorithm = 'pbkdf2_sha256';

  recognizes(encoded: string): boolean {
    return /^pbkdf2_sha(256|1)\$\d+\$[^$]+\$[A-Za-z0-9+/]+={0,2}$/.test(encoded);
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const [algorithm, iterationsText, salt, expected, ...rest] = encoded.split('$');
    const digest = DIGESTS[algorithm as keyof typeof DIGESTS];
    const iterations = Number(iterationsText);
    if (!digest || rest.length > 0 || !salt || !expected) return false;
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS)
      return false;
    const expectedBytes = Buffer.from(expected, 'base64');
    const key = await pbkdf2Async(
      Buffer.from(password, 'utf8'),
      Buffer.from(salt, 'utf8'),
      iterations,
      expectedBytes.length || 1,
      digest,
    );
    return key.length === expectedBytes.length && timingSafeEqual(key, expectedBytes);
  }
}
