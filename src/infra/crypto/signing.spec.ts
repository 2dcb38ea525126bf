import { saltedHmac, TimestampSigner } from './signing';

describe('saltedHmac', () => {
  it('is Django’s salted_hmac with SHA-256', () => {
    // key = sha256(salt + secret); hmac(key, value, sha256), as django.utils.crypto computes it
    expect(saltedHmac('salt', 'value', 'secret').toString('hex')).toBe(
      'debaddcd9ecbaab181289870baf8af49b0af0a7050d620d1a63f1e69bd87ceb8',
    );
  });
});

describe('TimestampSigner', () => {
  const signer = new TimestampSigner('a-secret', 'gatehouse.test');
  const now = Date.UTC(2026, 10, 22, 12);

  it('round-trips the payload within the max age', () => {
    const key = signer.sign({ u: 7, e: 'a@example.com' }, now);
    expect(key).toMatch(/^[A-Za-z0-9_-]+:[0-9a-z]+:[A-Za-z0-9_-]{43}$/);
    expect(signer.unsign(key, 60, now + 59_000)).toEqual({ u: 7, e: 'a@example.com' });
  });

  it('refuses an expired key', () => {
    const key = signer.sign({ u: 7 }, now);
    expect(signer.unsign(key, 60, now + 61_000)).toBeUndefined();
  });

  it('refuses a key signed for another purpose or with another secret', () => {
    const key = signer.sign({ u: 7 }, now);
    expect(new TimestampSigner('a-secret', 'gatehouse.other').unsign(key, 60, now)).toBeUndefined();
    expect(new TimestampSigner('b-secret', 'gatehouse.test').unsign(key, 60, now)).toBeUndefined();
  });

  it('refuses a tampered payload, timestamp or signature, and malformed keys', () => {
    const [payload, ts, sig] = signer.sign({ u: 7 }, now).split(':');
    const other = Buffer.from(JSON.stringify({ u: 8 })).toString('base64url');
    expect(signer.unsign(`${other}:${ts}:${sig}`, 60, now)).toBeUndefined();
    expect(
      signer.unsign(`${payload}:${(parseInt(ts, 36) + 1).toString(36)}:${sig}`, 60, now),
    ).toBeUndefined();
    expect(signer.unsign(`${payload}:${ts}:${sig.slice(1)}x`, 60, now)).toBeUndefined();
    for (const bad of ['', 'a', 'a:b', 'a:b:c:d', `${payload}:ZZ:${sig}`]) {
      expect(signer.unsign(bad, 60, now)).toBeUndefined();
    }
  });
});
