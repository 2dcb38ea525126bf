import type { User } from '../../accounts/user.entity';
import type { GatehouseConfig } from '../../config/gatehouse-config';
import { PasswordResetTokenGenerator } from './reset-token-generator';

const config = {
  jwt: { secret: 'a-secret-that-is-long-enough-0123456789' },
  passwordResetTimeout: 3600,
} as unknown as GatehouseConfig;

function user(overrides: Partial<User> = {}): User {
  return {
    id: 42,
    password: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    email: 'reset@example.com',
    lastLogin: null,
    ...overrides,
  } as User;
}

describe('PasswordResetTokenGenerator', () => {
  const generator = new PasswordResetTokenGenerator(config);
  const now = Date.UTC(2026, 10, 22, 12);

  it('makes Django-shaped tokens that check for the same user', () => {
    const token = generator.make(user(), now);
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{32}$/);
    // The timestamp is seconds since 2001-01-01, in base 36.
    expect(parseInt(token.split('-')[0], 36)).toBe((now - Date.UTC(2001, 0, 1)) / 1000);
    expect(generator.check(user(), token, now + 1000)).toBe(true);
  });

  it('dies when the password, the last login or the e-mail changes', () => {
    const token = generator.make(user(), now);
    expect(generator.check(user({ password: 'other-hash' }), token, now)).toBe(false);
    expect(generator.check(user({ lastLogin: new Date(now) }), token, now)).toBe(false);
    expect(generator.check(user({ email: 'other@example.com' }), token, now)).toBe(false);
    expect(generator.check(user({ id: 43 }), token, now)).toBe(false);
  });

  it('dies after PASSWORD_RESET_TIMEOUT', () => {
    const token = generator.make(user(), now);
    expect(generator.check(user(), token, now + 3600_000)).toBe(true);
    expect(generator.check(user(), token, now + 3601_000)).toBe(false);
  });

  it('refuses tampered and malformed tokens', () => {
    const token = generator.make(user(), now);
    const [ts, hash] = token.split('-');
    expect(generator.check(user(), `${(parseInt(ts, 36) + 1).toString(36)}-${hash}`, now)).toBe(
      false,
    );
    for (const bad of ['', '-', token.toUpperCase(), `${token}0`, 'zzzzzzzzzzzzzz-' + hash]) {
      expect(generator.check(user(), bad, now)).toBe(false);
    }
  });
});
