import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for a secret that must be stored and read back (a rotated refresh
 * token's successor, a TOTP secret): `<iv>.<tag>.<ciphertext>`, base64url. The key
 * is derived from `secret` under `purpose`, so one secret serves several uses. A
 * `context` (additional data) binds a sealed value to its place: a value copied
 * onto another user's row does not open there.
 */
export class SealedBox {
  private readonly key: Buffer;

  constructor(secret: Buffer, purpose: string) {
    this.key = createHash('sha256').update(purpose).update(secret).digest();
  }

  seal(plain: string, context?: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    if (context !== undefined) cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
  }

  /**
   * The plain text, or undefined when the value was not sealed with this key (and
   * `context`), or was altered.
   */
  open(sealed: string, context?: string): string | undefined {
    const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
    if (!iv || !tag || !body) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      if (context !== undefined) decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
