import { DataSource } from 'typeorm';
import { UsersService } from '../src/accounts/users.service';
import { sha256Hex } from '../src/infra/crypto/sha256';
import { TokenFlushService } from '../src/jobs/token-flush.service';
import { MfaChallenge } from '../src/mfa/mfa-challenge.entity';
import { MfaService } from '../src/mfa/mfa.service';
import {
  captureLogs,
  GENEROUS_THROTTLE_RATES,
  type HttpResponse,
  startTestApp,
  type TestApp,
} from './support/test-app';
import { totpCode, totpStep } from './support/totp';

/**
 * Multi-factor login on every login endpoint (DESIGN.md "Multi-factor login"):
 * the challenge, the second step on the same endpoint with exactly the normal
 * answer, every refusal in the surface's dialect, amr on tokens and sessions,
 * users without MFA untouched, and no code or mfa_token in any log line.
 */
const PASSWORD = 'Juniper-Falcon-5521';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

type SurfaceName = 'simplejwt' | 'djoser' | 'rest-auth' | 'fastapi-users';

interface LoginSurface {
  name: SurfaceName;
  path: string;
  dialect: 'drf' | 'fastapi';
  /** The access token of a successful answer. */
  access: (body: Record<string, string>) => string;
}

const SURFACES: LoginSurface[] = [
  { name: 'simplejwt', path: '/api/token/', dialect: 'drf', access: (b) => b.access },
  {
    name: 'djoser',
    path: '/accounts/auth/jwt/create/',
    dialect: 'drf',
    access: (b) => b.access,
  },
  { name: 'rest-auth', path: '/auth/login/', dialect: 'drf', access: (b) => b.access_token },
  {
    name: 'fastapi-users',
    path: '/auth/jwt/login',
    dialect: 'fastapi',
    access: (b) => b.access_token,
  },
];

const DRF_REQUIRED = {
  detail: 'Multi-factor authentication required.',
  code: 'mfa_required',
};
const REFUSED = {
  drf: {
    code: { detail: 'Invalid multi-factor code.', code: 'mfa_invalid_code' },
    token: { detail: 'Multi-factor token is invalid or expired.', code: 'mfa_token_invalid' },
  },
  fastapi: {
    code: { detail: 'LOGIN_MFA_BAD_CODE' },
    token: { detail: 'LOGIN_MFA_TOKEN_INVALID' },
  },
};

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

describe('multi-factor login on every login endpoint', () => {
  let t: TestApp;
  let mfa: MfaService;
  const logs = captureLogs();
  /** Every code and mfa_token a client sent or got: none may reach a log line. */
  const secrets = new Set<string>();
  const seen = (secret: string): string => {
    secrets.add(secret);
    return secret;
  };

  beforeAll(async () => {
    t = await startTestApp({
      logStream: logs.stream,
      env: {
        LOG_LEVEL: 'trace',
        // Wrong codes on purpose, many per account: MfaService's throttle is its own spec's.
        DEFAULT_THROTTLE_RATES: `${GENEROUS_THROTTLE_RATES},mfa_code=100000/minute,mfa_code_address=100000/minute`,
      },
    });
    mfa = t.app.get(MfaService);
  });
  afterAll(() => t.close());

  /** A user with MFA on (enrolled through the service), its secret and recovery codes. */
  async function enrolled(): Promise<{
    email: string;
    userId: number;
    secret: string;
    recoveryCodes: string[];
  }> {
    const { user, email } = await t.createUser({ password: PASSWORD });
    const { secret } = await mfa.beginTotp(user);
    const { recoveryCodes } = await mfa.confirmTotp(user, seen(totpCode(secret)), {
      surface: 'simplejwt',
    });
    recoveryCodes.forEach(seen);
    return { email, userId: user.id, secret, recoveryCodes };
  }

  /** The first step: the credentials, as each endpoint takes them. */
  function first(surface: LoginSurface, email: string, password = PASSWORD) {
    if (surface.dialect === 'fastapi') {
      return t.http.request('POST', surface.path, {
        headers: FORM,
        body: new URLSearchParams({ username: email, password }),
      });
    }
    return t.http.post(
      surface.path,
      surface.name === 'djoser' ? { username: email, password } : { email, password },
    );
  }

  /** The second step on the same endpoint: `{"mfa_token", "code"}` (form fields on fastapi-users). */
  function second(surface: LoginSurface, fields: Record<string, string>) {
    Object.values(fields).forEach(seen);
    if (surface.dialect === 'fastapi') {
      return t.http.request('POST', surface.path, {
        headers: FORM,
        body: new URLSearchParams(fields),
      });
    }
    return t.http.post(surface.path, fields);
  }

  /** A challenge: the exact body, key order included; returns the mfa_token. */
  async function challenge(surface: LoginSurface, email: string): Promise<string> {
    const res = await first(surface, email);
    const token = res.body?.mfa_token as string;
    expect(typeof token).toBe('string');
    seen(token);
    if (surface.dialect === 'drf') {
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body)).toBe(JSON.stringify({ ...DRF_REQUIRED, mfa_token: token }));
    } else {
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toBe(
        JSON.stringify({ detail: 'LOGIN_MFA_REQUIRED', mfa_token: token }),
      );
    }
    return token;
  }

  function refused(res: HttpResponse, surface: LoginSurface, what: 'code' | 'token') {
    expect({ status: res.status, body: res.body as unknown }).toEqual({
      status: surface.dialect === 'drf' ? 401 : 400,
      body: REFUSED[surface.dialect][what],
    });
  }

  describe.each(SURFACES)('$path', (surface) => {
    it('leaves a user without MFA as before: the normal answer, no amr', async () => {
      const { email } = await t.createUser({ password: PASSWORD });
      const res = await first(surface, email);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('mfa_token');
      expect(claimsOf(surface.access(res.body))).not.toHaveProperty('amr');
    });

    it('challenges, then answers the mfa_token and a TOTP code with the normal login answer', async () => {
      const plain = await first(surface, (await t.createUser({ password: PASSWORD })).email);
      const { email, userId, secret } = await enrolled();
      const before = await t.app.get(UsersService).findById(userId);
      const mfaToken = await challenge(surface, email);
      // The challenge is no login: no last_login yet.
      expect((await t.app.get(UsersService).findById(userId))?.lastLogin).toEqual(
        before?.lastLogin,
      );

      const code = totpCode(secret, totpStep() + 1);
      const res = await second(surface, { mfa_token: mfaToken, code });
      expect(res.status).toBe(200);
      // Exactly the endpoint's answer: the same keys in the same order.
      expect(Object.keys(res.body)).toEqual(Object.keys(plain.body));
      const claims = claimsOf(surface.access(res.body));
      expect(claims.amr).toEqual(['pwd', 'otp']);
      if (surface.name === 'rest-auth') {
        expect((await t.app.get(UsersService).findById(userId))?.lastLogin).not.toBeNull();
      }

      // The mfa_token is single-use.
      refused(await second(surface, { mfa_token: mfaToken, code }), surface, 'token');
      // The TOTP code is refused again within its window, with a fresh challenge.
      refused(
        await second(surface, { mfa_token: await challenge(surface, email), code }),
        surface,
        'code',
      );
    });

    it('refuses a wrong code without burning the mfa_token, and kills it after 5', async () => {
      const { email, recoveryCodes } = await enrolled();
      const mfaToken = await challenge(surface, email);
      refused(await second(surface, { mfa_token: mfaToken, code: '00000a' }), surface, 'code');
      const ok = await second(surface, { mfa_token: mfaToken, code: recoveryCodes[0] });
      expect(ok.status).toBe(200);

      const worn = await challenge(surface, email);
      for (let i = 0; i < 5; i += 1) {
        refused(await second(surface, { mfa_token: worn, code: '00000a' }), surface, 'code');
      }
      refused(await second(surface, { mfa_token: worn, code: recoveryCodes[1] }), surface, 'token');
    });

    it('takes a recovery code once', async () => {
      const { email, recoveryCodes } = await enrolled();
      const [code] = recoveryCodes;
      const res = await second(surface, { mfa_token: await challenge(surface, email), code });
      expect(res.status).toBe(200);
      expect(claimsOf(surface.access(res.body)).amr).toEqual(['pwd', 'otp']);
      refused(
        await second(surface, { mfa_token: await challenge(surface, email), code }),
        surface,
        'code',
      );
    });

    it('refuses an expired mfa_token', async () => {
      const { email, userId, recoveryCodes } = await enrolled();
      const mfaToken = await challenge(surface, email);
      // Five minutes later, as far as the row says.
      await t.app
        .get(DataSource)
        .createQueryBuilder()
        .update(MfaChallenge)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where('user_id = :userId', { userId })
        .execute();
      refused(
        await second(surface, { mfa_token: mfaToken, code: recoveryCodes[0] }),
        surface,
        'token',
      );
    });

    it('refuses an mfa_token of another surface, and an unknown one', async () => {
      const { email, recoveryCodes } = await enrolled();
      const other = SURFACES.find((s) => s.name !== surface.name)!;
      const foreign = await challenge(other, email);
      refused(
        await second(surface, { mfa_token: foreign, code: recoveryCodes[0] }),
        surface,
        'token',
      );
      refused(
        await second(surface, { mfa_token: 'not-a-token', code: recoveryCodes[0] }),
        surface,
        'token',
      );
    });

    it('refuses a user deactivated between the two steps, as it refuses an inactive one', async () => {
      const { email, userId, recoveryCodes } = await enrolled();
      const mfaToken = await challenge(surface, email);
      const users = t.app.get(UsersService);
      await users.update((await users.findById(userId))!, { isActive: false });
      const res = await second(surface, { mfa_token: mfaToken, code: recoveryCodes[0] });
      const inactive = await first(surface, email);
      expect({ status: res.status, body: res.body as unknown }).toEqual({
        status: inactive.status,
        body: inactive.body as unknown,
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
    });

    it('asks for the code in its dialect when the second step lacks it', async () => {
      const res = await second(surface, { mfa_token: 'whatever-token' });
      if (surface.dialect === 'drf') {
        expect({ status: res.status, body: res.body as unknown }).toEqual({
          status: 400,
          body: { code: ['This field is required.'] },
        });
      } else {
        expect({ status: res.status, body: res.body as unknown }).toEqual({
          status: 422,
          body: {
            detail: [
              { type: 'missing', loc: ['body', 'code'], msg: 'Field required', input: null },
            ],
          },
        });
      }
    });
  });

  it('removes expired challenges with the token flush, live ones kept', async () => {
    const { email: gone, userId: goneId } = await enrolled();
    const { email: kept } = await enrolled();
    await challenge(SURFACES[0], gone);
    await challenge(SURFACES[0], gone);
    const live = await challenge(SURFACES[0], kept);
    const challenges = t.app.get(DataSource).getRepository(MfaChallenge);
    // The user who never came back: their two challenges are past their 5 minutes.
    await challenges.update({ userId: goneId }, { expiresAt: new Date(Date.now() - 1000) });

    const removed = await t.app.get(TokenFlushService).flushExpired();
    expect(removed.mfa_challenges).toBeGreaterThanOrEqual(2);
    expect(await challenges.countBy({ userId: goneId })).toBe(0);
    expect(await challenges.countBy({ tokenSha256: sha256Hex(live) })).toBe(1);
    expect(typeof removed.refresh_tokens).toBe('number');
  });

  it('shows amr in the sessions list, and a refresh keeps it without a second factor', async () => {
    const { email, recoveryCodes } = await enrolled();
    const simplejwt = SURFACES[0];
    const res = await second(simplejwt, {
      mfa_token: await challenge(simplejwt, email),
      code: recoveryCodes[0],
    });
    expect(res.status).toBe(200);
    const refreshed = await t.http.post('/api/token/refresh/', { refresh: res.body.refresh });
    expect(refreshed.status).toBe(200);
    expect(claimsOf(refreshed.body.access as string).amr).toEqual(['pwd', 'otp']);

    const sessions = await t.http.get('/accounts/auth/users/me/sessions/', {
      headers: { authorization: `JWT ${res.body.access as string}` },
    });
    expect(sessions.status).toBe(200);
    const list = sessions.body.results as { current: boolean; amr: unknown }[];
    expect(list.find((s) => s.current)?.amr).toEqual(['pwd', 'otp']);

    // A login without a second factor shows none.
    const plain = await t.createUser({ password: PASSWORD });
    const login = await first(simplejwt, plain.email);
    const own = await t.http.get('/accounts/auth/users/me/sessions/', {
      headers: { authorization: `JWT ${login.body.access as string}` },
    });
    expect((own.body.results as { amr: unknown }[])[0].amr).toBeNull();
  });

  it('rest-auth: the Token key session records amr too', async () => {
    const { email, recoveryCodes } = await enrolled();
    const restAuth = SURFACES[2];
    const res = await second(restAuth, {
      mfa_token: await challenge(restAuth, email),
      code: recoveryCodes[0],
    });
    expect(res.status).toBe(200);
    const sessions = await t.http.get('/auth/user/sessions/', {
      headers: { authorization: `Token ${res.body.key as string}` },
    });
    const list = sessions.body.results as { current: boolean; amr: unknown }[];
    expect(list.find((s) => s.current)?.amr).toEqual(['pwd', 'otp']);
  });

  it('writes no code and no mfa_token into any log line', () => {
    expect(secrets.size).toBeGreaterThan(20);
    const text = logs.lines.join('\n');
    expect(logs.lines.length).toBeGreaterThan(0);
    // A secret standing on its own: a 6-digit code is also, by chance, a part of many a
    // longer number (a timestamp), which is no leak.
    const standsIn = (haystack: string, secret: string) =>
      new RegExp(
        `(?<![0-9A-Za-z_-])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z_-])`,
      ).test(haystack);
    expect(standsIn('{"code":"123456"}', '123456')).toBe(true); // the check can fail
    expect(standsIn('{"time":1765123456789}', '123456')).toBe(false);
    for (const secret of secrets) expect(standsIn(text, secret) ? secret : null).toBeNull();
  });
});
