import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  const now = 1_800_000_000;

  it('answers the claims of a remembered token until it expires', () => {
    const tokens = new VerifiedTokens(10);
    tokens.remember('a.b.c', { user_id: 1, exp: now + 60 });
    expect(tokens.get('a.b.c', now)).toEqual({ user_id: 1, exp: now + 60 });
    expect(tokens.get('a.b.c', now + 59.9)).toBeDefined();
    // jsonwebtoken's rule: expired at exp itself.
    expect(tokens.get('a.b.c', now + 60)).toBeUndefined();
    // and gone for good once seen expired
    expect(tokens.get('a.b.c', now)).toBeUndefined();
  });

  it('matches the exact text only: another signature is a miss', () => {
    const tokens = new VerifiedTokens(10);
    tokens.remember('a.b.c', { exp: now + 60 });
    expect(tokens.get('a.b.d', now)).toBeUndefined();
    expect(tokens.get('a.b.c ', now)).toBeUndefined();
  });

  it('honours nbf', () => {
    const tokens = new VerifiedTokens(10);
    tokens.remember('t', { exp: now + 60, nbf: now + 10 });
    expect(tokens.get('t', now)).toBeUndefined();
    tokens.remember('t', { exp: now + 60, nbf: now + 10 });
    expect(tokens.get('t', now + 10)).toBeDefined();
  });

  it('never keeps a token without a numeric exp, and keeps at most its size', () => {
    const tokens = new VerifiedTokens(2);
    tokens.remember('forever', { user_id: 1 });
    tokens.remember('odd', { exp: String(now + 60) });
    expect(tokens.get('forever', now)).toBeUndefined();
    expect(tokens.get('odd', now)).toBeUndefined();
    for (const t of ['x', 'y', 'z']) tokens.remember(t, { exp: now + 60 });
    expect(tokens.get('x', now)).toBeUndefined();
    expect(tokens.get('z', now)).toBeDefined();
  });

  it('is off with size 0', () => {
    const tokens = new VerifiedTokens(0);
    tokens.remember('t', { exp: now + 60 });
    expect(tokens.get('t', now)).toBeUndefined();
  });
});
