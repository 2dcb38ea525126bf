import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6238's parameters, the ones every authenticator app assumes: SHA-1, 6 digits, 30 s. */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps of clock drift accepted either side of now (RFC 6238 §5.2 recommends one). */
export const TOTP_DRIFT_STEPS = 1;
/** 160 bits: RFC 4226 §4's recommended length, and what authenticator apps expect. */
export const TOTP_SECRET_BYTES = 20;

/** A fresh random secret (raw bytes). */
export function newTotpSecret(): Buffer {
  return randomBytes(TOTP_SECRET_BYTES);
}

/** The time step of an instant (RFC 6238's T). */
export function totpStep(nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** RFC 4226's HOTP value of a counter, as a zero-padded decimal string. */
export function hotp(
  secret: Buffer,
  counter: number,
  digits = TOTP_DIGITS,
  algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1',
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code of an instant. */
export function totp(secret: Buffer, nowMs = Date.now()): string {
  return hotp(secret, totpStep(nowMs));
}

/** Whether text looks like a TOTP code (6 digits, spaces aside); a recovery code does not. */
export function isTotpShaped(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s/g, ''));
}

/**
 * The step whose code `code` is, within ±TOTP_DRIFT_STEPS of now, or undefined.
 * Every candidate is compared (in constant time), so the time taken does not say
 * which one matched.
 */
export function matchTotp(secret: Buffer, code: string, nowMs = Date.now()): number | undefined {
  const given = Buffer.from(code.replace(/\s/g, ''));
  if (given.length !== TOTP_DIGITS) return undefined;
  const now = totpStep(nowMs);
  let matched: number | undefined;
  for (let step = now - TOTP_DRIFT_STEPS; step <= now + TOTP_DRIFT_STEPS; step++) {
    if (timingSafeEqual(Buffer.from(hotp(secret, step)), given)) matched ??= step;
  }
  return matched;
}

/** The `otpauth://` URI authenticator apps read (Google Authenticator's Key Uri Format). */
export function otpauthUrl(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}
