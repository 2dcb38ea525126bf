import { createHash } from 'node:crypto';
import { verify } from '@node-rs/bcrypt';
import type { PasswordHasher } from './password-hasher';

const BCRYPT = /^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$/;

/**
 * bcrypt in every form the Python side wrote it: passlib/fastapi-users' bare
 * `$2b$…`, Django's `bcrypt$$2b$…`, and Django's `bcrypt_sha256$$2b$…`, which
 * bcrypts the hex SHA-256 of the password so long passwords are not truncated.
 * Native bcrypt, never a pure-JS one, on the login path.
 */
export class BcryptHasher implements PasswordHasher {
  readonly algorithm = 'bcrypt';

  recognizes(encoded: string): boolean {
    return /^(bcrypt_sha256\$|bcrypt\$)?\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(encoded);
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    let candidate = password;
    let bcryptHash = encoded;
    if (encoded.startsWith('bcrypt_sha256$')) {
      candidate = createHash('sha256').update(password, 'utf8').digest('hex');
      bcryptHash = encoded.slice('bcrypt_sha256$'.length);
    } else if (encoded.startsWith('bcrypt$')) {
      bcryptHash = encoded.slice('bcrypt$'.length);
    }
    if (!BCRYPT.test(bcryptHash)) return false;
    try {
      return await verify(candidate, bcryptHash);
    } catch {
      return false;
    }
  }
}
