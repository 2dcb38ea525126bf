import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32));
  const secret = Buffer.from('12345678901234567890');

  it('opens what it sealed, in its context only', () => {
    const sealed = box.seal(secret, 'mfa-totp:1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(secret.toString('base64url'));
    expect(box.open(sealed, 'mfa-totp:1')).toEqual(secret);
    expect(() => box.open(sealed, 'mfa-totp:2')).toThrow();
  });

  it('refuses another key, an altered value and a value that was never sealed', () => {
    const sealed = box.seal(secret, 'c');
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'c')).toThrow();
    const parts = sealed.split('.');
    const altered = Buffer.from(parts[3], 'base64url');
    altered[0] ^= 1;
    parts[3] = altered.toString('base64url');
    expect(() => box.open(parts.join('.'), 'c')).toThrow();
    expect(() => box.open('JBSWY3DPEHPK3PXP', 'c')).toThrow('not a sealed value');
  });

  it('seals the same secret differently each time (a fresh IV)', () => {
    expect(box.seal(secret, 'c')).not.toBe(box.seal(secret, 'c'));
  });
});
