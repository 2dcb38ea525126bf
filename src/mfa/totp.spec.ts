import { hotp, isTotpShaped, matchTotp, otpauthUrl, totp } from './totp';

// RFC 6238 Appendix B, SHA-1: the seed "12345678901234567890", 8 digits.
const SEED = Buffer.from('12345678901234567890');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('at %i s the 8-digit code is %s', (seconds, code) => {
    expect(hotp(SEED, Math.floor(seconds / 30), 8)).toBe(code);
  });

  it('gives the 6-digit code as the last six digits', () => {
    expect(totp(SEED, 59_000)).toBe('287082');
  });

  it('accepts one step of drift either side, and no more', () => {
    const now = 1111111111_000;
    expect(matchTotp(SEED, totp(SEED, now - 30_000), now)).toBe(Math.floor(now / 30_000) - 1);
    expect(matchTotp(SEED, totp(SEED, now + 30_000), now)).toBe(Math.floor(now / 30_000) + 1);
    expect(matchTotp(SEED, totp(SEED, now - 60_000), now)).toBeUndefined();
    expect(matchTotp(SEED, totp(SEED, now + 60_000), now)).toBeUndefined();
    expect(matchTotp(SEED, '12345', now)).toBeUndefined();
  });

  it('tells a TOTP code from a recovery code', () => {
    expect(isTotpShaped('123 456')).toBe(true);
    expect(isTotpShaped('abcd-efgh-jkmn')).toBe(false);
  });

  it('writes the otpauth URL authenticator apps read', () => {
    expect(otpauthUrl('Gatehouse', 'a@b.c', 'ABC')).toBe(
      'otpauth://totp/Gatehouse:a%40b.c?secret=ABC&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30',
    );
  });
});
