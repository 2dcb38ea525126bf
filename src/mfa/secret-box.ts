import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Format tag of a sealed value: a new scheme would get a new one, and old values still open. */
const VERSION = 'v1';

/**
 * AES-256-GCM under one 32-byte key: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 * The additional data binds a sealed value to its place (the user it belongs
 * to), so a secret copied onto another user's row does not open.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('an AES-256 key is 32 bytes');
  }

  seal(plain: Buffer, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), sealed]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The plain bytes; throws when the value was sealed under another key or context, or altered. */
  open(sealed: string, context: string): Buffer {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) {
      throw new Error('not a sealed value');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
  }
}
