import { base32Decode, base32Encode } from './base32';

describe('base32', () => {
  it('round-trips base32 (RFC 4648 test vector)', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('mzxw6ytboi======').toString()).toBe('foobar');
    const seed = Buffer.from('12345678901234567890');
    expect(base32Decode(base32Encode(seed))).toEqual(seed);
  });

  it('refuses a character outside the alphabet', () => {
    expect(() => base32Decode('MZXW6YTB01')).toThrow('not base32');
  });
});
