import { MfaService } from '../src/mfa/mfa.service';
import { base32Decode } from '../src/infra/base32';
import { totp } from '../src/mfa/totp';
import { MfaCodeRejected, MfaUnavailable } from '../src/problems/domain.errors';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** MfaService against a real database: what the login challenge (issue 30) relies on. */
describe('MfaService', () => {
  let t: TestApp;
  let mfa: MfaService;

  beforeAll(async () => {
    t = await startTestApp();
    mfa = t.app.get(MfaService);
  });
  afterAll(() => t?.close());

  it('enrols, accepts a code once, spends a recovery code once, resets', async () => {
    const { user } = await t.createUser();
    const attempt = { surface: 'djoser' as const, ip: '203.0.113.9' };
    expect(await mfa.isEnabled(user.id)).toBe(false);
    const begun = await mfa.beginTotp(user);
    expect(begun.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(begun.qrSvg).toMatch(/^<svg/);
    const secret = base32Decode(begun.secret);
    const first = totp(secret);
    const { recoveryCodes } = await mfa.confirmTotp(user, first, attempt);
    expect(recoveryCodes).toHaveLength(10);
    expect(await mfa.status(user.id)).toEqual({ totp: true, recoveryCodesLeft: 10 });
    // The confirming code is used: the same step is refused.
    await expect(mfa.verifySecondFactor(user, first, attempt)).rejects.toBeInstanceOf(
      MfaCodeRejected,
    );
    expect(await mfa.verifySecondFactor(user, totp(secret, Date.now() + 30_000), attempt)).toBe(
      'otp',
    );
    expect(await mfa.verifySecondFactor(user, recoveryCodes[0], attempt)).toBe('recovery_code');
    await expect(mfa.verifySecondFactor(user, recoveryCodes[0], attempt)).rejects.toBeInstanceOf(
      MfaCodeRejected,
    );
    expect(await mfa.status(user.id)).toEqual({ totp: true, recoveryCodesLeft: 9 });
    expect(await mfa.reset(user.id, { cli: true })).toBe(true);
    expect(await mfa.isEnabled(user.id)).toBe(false);
  });
});

describe('MfaService on two instances sharing a database', () => {
  it('accepts a code on one instance only, even sent to both at once', async () => {
    const env = { MFA_ENCRYPTION_KEY: 'c'.repeat(64) };
    const one = await startTestApp({ env });
    const two = await startTestApp({ database: one.database, env });
    try {
      const { user } = await one.createUser();
      const attempt = { surface: 'djoser' as const };
      const { secret } = await one.app.get(MfaService).beginTotp(user);
      const raw = base32Decode(secret);
      await one.app.get(MfaService).confirmTotp(user, totp(raw), attempt);
      const next = totp(raw, Date.now() + 30_000);
      const outcomes = await Promise.allSettled(
        [one, two].map((app) => app.app.get(MfaService).verifySecondFactor(user, next, attempt)),
      );
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = outcomes.find((o) => o.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(MfaCodeRejected);
    } finally {
      await two.close();
      await one.close();
    }
  });
});

describe('MfaService with NODE_ENV=production', () => {
  const PRODUCTION = { NODE_ENV: 'production', MAIL_LOG_IN_PRODUCTION: 'true' };
  const KEY = 'a'.repeat(64);
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('without MFA_ENCRYPTION_KEY: enrolment is a 503; once a user has MFA on, boot is refused', async () => {
    const unkeyed = await startTestApp({ database, env: PRODUCTION });
    try {
      const client = await unkeyed.loginAs(await unkeyed.createUser(), 'JWT');
      const refused = await client.post('/accounts/auth/users/me/mfa/totp/');
      expect([refused.status, refused.body]).toEqual([
        503,
        {
          detail:
            'Multi-factor authentication is not configured on this server (MFA_ENCRYPTION_KEY).',
        },
      ]);
    } finally {
      await unkeyed.close();
    }

    const keyed = await startTestApp({ database, env: { ...PRODUCTION, MFA_ENCRYPTION_KEY: KEY } });
    try {
      const { user } = await keyed.createUser();
      const mfa = keyed.app.get(MfaService);
      const { secret } = await mfa.beginTotp(user);
      await mfa.confirmTotp(user, totp(base32Decode(secret)), { surface: 'djoser' });
    } finally {
      await keyed.close();
    }

    await expect(startTestApp({ database, env: PRODUCTION })).rejects.toThrow(
      /MFA_ENCRYPTION_KEY is required when NODE_ENV=production: 1 user\(s\) have multi-factor login on/,
    );
  });

  it('under another key, a code is refused as unavailable (503), never as a wrong code', async () => {
    const first = await startTestApp({ env: { MFA_ENCRYPTION_KEY: KEY } });
    try {
      const { user } = await first.createUser();
      const mfa = first.app.get(MfaService);
      const { secret } = await mfa.beginTotp(user);
      await mfa.confirmTotp(user, totp(base32Decode(secret)), { surface: 'djoser' });
      const other = await startTestApp({
        database: first.database,
        env: { MFA_ENCRYPTION_KEY: 'b'.repeat(64) },
      });
      try {
        await expect(
          other.app
            .get(MfaService)
            .verifySecondFactor(user, totp(base32Decode(secret), Date.now() + 30_000), {
              surface: 'djoser',
            }),
        ).rejects.toBeInstanceOf(MfaUnavailable);
      } finally {
        await other.close();
      }
    } finally {
      await first.close();
    }
  });
});
