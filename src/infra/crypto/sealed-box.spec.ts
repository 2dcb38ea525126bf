import { randomBytes } from 'node:crypto';
import { SealedBox } from './sealed-box';

describe('SealedBox (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const box = new SealedBox(key, 'gatehouse.test');
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('opens what it sealed, in its context only', () => {
    const sealed = box.seal(secret, 'mfa-totp:1');
    expect(sealed).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(box.open(sealed, 'mfa-totp:1')).toBe(secret);
    expect(box.open(sealed, 'mfa-totp:2')).toBeUndefined();
    expect(box.open(sealed)).toBeUndefined();
  });

  it('opens a value sealed without a context without one (a refresh token successor)', () => {
    expect(box.open(box.seal(secret))).toBe(secret);
  });

  it('refuses another key, another purpose, an altered value and a value that was never sealed', () => {
    const sealed = box.seal(secret, 'c');
    expect(new SealedBox(randomBytes(32), 'gatehouse.test').open(sealed, 'c')).toBeUndefined();
    expect(new SealedBox(key, 'gatehouse.other').open(sealed, 'c')).toBeUndefined();
    expect(new SealedBox(key, 'gatehouse.test').open(sealed, 'c')).toBe(secret);
    const parts = sealed.split('.');
    const altered = Buffer.from(parts[2], 'base64url');
    altered[0] ^= 1;
    parts[2] = altered.toString('base64url');
    expect(box.open(parts.join('.'), 'c')).toBeUndefined();
    expect(box.open('JBSWY3DPEHPK3PXP', 'c')).toBeUndefined();
  });

  it('seals the same secret differently each time (a fresh IV)', () => {
    expect(box.seal(secret, 'c')).not.toBe(box.seal(secret, 'c'));
  });
});
