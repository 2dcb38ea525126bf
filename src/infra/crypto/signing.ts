import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Django's `salted_hmac` (SHA-256): the key is SHA-256(salt + secret), so each
 * purpose (salt) gets its own key from one secret and a value signed for one
 * purpose never verifies for another.
 */
export function saltedHmac(salt: string, value: string, secret: string | Buffer): Buffer {
  const key = createHash('sha256').update(salt).update(secret).digest();
  return createHmac('sha256', key).update(value).digest();
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Signed, expiring, single-purpose values in the shape of Django's
 * `signing.dumps` (allauth's HMAC e-mail confirmation keys):
 * `<base64url JSON>:<base36 seconds>:<base64url HMAC>`. Nothing is stored;
 * what makes a key die (the address verified, the e-mail changed) is checked by
 * the caller against the payload.
 */
export class TimestampSigner {
  constructor(
    private readonly secret: string | Buffer,
    private readonly salt: string,
  ) {}

  sign(payload: unknown, now = Date.now()): string {
    const value = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}:${Math.floor(now / 1000).toString(36)}`;
    return `${value}:${this.signature(value)}`;
  }

  /** The payload, or undefined when the key is forged, malformed or older than `maxAgeSeconds`. */
  unsign<T>(key: string, maxAgeSeconds: number, now = Date.now()): T | undefined {
    const parts = key.split(':');
    if (parts.length !== 3 || !/^[0-9a-z]{1,12}$/.test(parts[1])) return undefined;
    const value = `${parts[0]}:${parts[1]}`;
    if (!safeEqual(parts[2], this.signature(value))) return undefined;
    const age = Math.floor(now / 1000) - parseInt(parts[1], 36);
    if (age > maxAgeSeconds) return undefined;
    try {
      return JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private signature(value: string): string {
    return saltedHmac(`${this.salt}signer`, value, this.secret).toString('base64url');
  }
}
