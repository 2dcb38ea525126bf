import { randomBytes } from 'node:crypto';
import type { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { decodeJwt, signJwt } from './support/jwt';
import { neighbourReads } from './support/neighbours';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app';

const notValidForAnyType = (message: string) => ({
  detail: 'Given token not valid for any token type',
  code: 'token_not_valid',
  messages: [{ token_class: 'AccessToken', token_type: 'access', message }],
});

describe('JWT claims, checked as SimpleJWT and fastapi-users check them', () => {
  let t: TestApp;
  let alice: User;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.app
      .get(UsersService)
      .create({ email: 'alice@example.com', password: 'alice-secret-pass' });
  });
  afterAll(() => t.close());

  /** A correctly signed token: SimpleJWT's and fastapi-users' claims, minus `omit`. */
  const token = (type: 'access' | 'refresh', omit: string[] = [], extra = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      token_type: type,
      exp: now + 300,
      iat: now,
      jti: 'a'.repeat(32),
      user_id: alice.id,
      sub: alice.uuid,
      aud: ['fastapi-users:auth'],
      ...extra,
    };
    for (const name of omit) delete claims[name];
    return signJwt(claims, TEST_JWT_SECRET);
  };
  const me = (header: string) =>
    t.http.get('/accounts/auth/users/me/', { headers: { Authorization: header } });
  const fastapiMe = (header: string) =>
    t.http.get('/users/me', { headers: { Authorization: header } });

  describe('SimpleJWT per-claim messages', () => {
    it('protected routes: a token without token_type → "Token has no type" in messages[]', async () => {
      const res = await me(`JWT ${token('access', ['token_type'])}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(notValidForAnyType('Token has no type'));
    });

    it('protected routes: a token without jti → "Token has no id" in messages[]', async () => {
      const res = await me(`Bearer ${token('access', ['jti'])}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(notValidForAnyType('Token has no id'));
    });

    it('protected routes: the id is checked before the type, as SimpleJWT does', async () => {
      const res = await me(`JWT ${token('access', ['jti', 'token_type'])}`);
      expect(res.body).toEqual(notValidForAnyType('Token has no id'));
    });

    it('protected routes: a token without a usable user_id names no user', async () => {
      const res = await me(`JWT ${token('access', ['user_id'])}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        detail: 'Token contained no recognizable user identification',
        code: 'token_not_valid',
      });
    });

    it.each(['/api/token/refresh/', '/accounts/auth/jwt/refresh/', '/auth/token/refresh/'])(
      'refresh view %s: "Token has no type" and "Token has no id" as the detail',
      async (path) => {
        const noType = await t.http.post(path, { refresh: token('refresh', ['token_type']) });
        expect(noType.status).toBe(401);
        expect(noType.body).toEqual({ detail: 'Token has no type', code: 'token_not_valid' });
        const noId = await t.http.post(path, { refresh: token('refresh', ['jti']) });
        expect(noId.status).toBe(401);
        expect(noId.body).toEqual({ detail: 'Token has no id', code: 'token_not_valid' });
      },
    );

    it.each(['/api/token/verify/', '/accounts/auth/jwt/verify/', '/auth/token/verify/'])(
      'verify view %s: "Token has no id" as the detail; no type is fine (UntypedToken)',
      async (path) => {
        const noId = await t.http.post(path, { token: token('access', ['jti']) });
        expect(noId.status).toBe(401);
        expect(noId.body).toEqual({ detail: 'Token has no id', code: 'token_not_valid' });
        // SimpleJWT's TokenVerifySerializer reads the token as an UntypedToken,
        // whose verify_token_type() checks nothing.
        const noType = await t.http.post(path, { token: token('access', ['token_type']) });
        expect(noType.status).toBe(200);
      },
    );
  });

  describe('SimpleJWT 5.5\'s string user_id ("user_id": "3")', () => {
    /** A SimpleJWT-5.5-style token: no sub, no aud, the pk as a string, a fresh jti. */
    const simplejwt55 = (type: 'access' | 'refresh', userId: unknown = String(alice.id)) =>
      token(type, ['sub', 'aud'], { user_id: userId, jti: randomBytes(16).toString('hex') });
    const WHO_AM_I = [
      '/accounts/auth/users/me/',
      '/accounts/accounts/user/',
      '/core/accounts/accounts/me/',
      '/auth/user/',
      '/authentication/user/',
    ];
    const REFRESH = ['/api/token/refresh/', '/accounts/auth/jwt/refresh/', '/auth/token/refresh/'];

    it.each(WHO_AM_I)('who-am-I %s names the user, by JWT and by Bearer', async (path) => {
      for (const scheme of ['JWT', 'Bearer']) {
        const res = await t.http.get(path, {
          headers: { Authorization: `${scheme} ${simplejwt55('access')}` },
        });
        expect(res.status).toBe(200);
        expect(res.body.email).toBe('alice@example.com');
      }
    });

    it.each(REFRESH)(
      'refresh %s answers a new access token with the integer user_id',
      async (path) => {
        const res = await t.http.post(path, { refresh: simplejwt55('refresh') });
        expect(res.status).toBe(200);
        const access = (res.body.access ?? res.body.access_token) as string;
        expect(decodeJwt(access).payload.user_id).toBe(alice.id);
        expect((await me(`JWT ${access}`)).body.email).toBe('alice@example.com');
      },
    );

    it('what Gatehouse mints keeps the integer form', async () => {
      const res = await t.http.post('/api/token/', {
        email: 'alice@example.com',
        password: 'alice-secret-pass',
      });
      expect(decodeJwt(res.body.access).payload.user_id).toBe(alice.id);
      expect(decodeJwt(res.body.refresh).payload.user_id).toBe(alice.id);
    });

    it.each([
      ['a leading zero', (pk: string) => `0${pk}`],
      ['a leading space', (pk: string) => ` ${pk}`],
      ['a trailing newline', (pk: string) => `${pk}\n`],
      ['a plus sign', (pk: string) => `+${pk}`],
      ['a decimal point', (pk: string) => `${pk}.0`],
      ['hexadecimal', (pk: string) => `0x${Number(pk).toString(16)}`],
      ['Arabic-Indic digits', (pk: string) => pk.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)])],
      ['an empty string', () => ''],
      ['a list', (pk: string) => [Number(pk)]],
    ])('nothing looser than the decimal string: %s names no user', async (_case, form) => {
      const userId = form(String(alice.id));
      const res = await me(`JWT ${simplejwt55('access', userId)}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        detail: 'Token contained no recognizable user identification',
        code: 'token_not_valid',
      });
      const refreshed = await t.http.post('/api/token/refresh/', {
        refresh: simplejwt55('refresh', userId),
      });
      expect(refreshed.status).toBe(401);
      expect(refreshed.body.code).toBe('no_active_account');
    });
  });

  describe('neighbours on the mirrored libraries take access tokens only', () => {
    const login = async () =>
      (
        await t.http.post('/api/token/', {
          email: 'alice@example.com',
          password: 'alice-secret-pass',
        })
      ).body as { access: string; refresh: string };

    it("fastapi-users' JWTStrategy (PyJWT, its audience) accepts the access token and refuses the refresh token", async () => {
      const { access, refresh } = await login();
      expect(await neighbourReads('fastapi-users', access, TEST_JWT_SECRET)).toEqual({
        accepted: true,
        identity: alice.uuid,
      });
      expect(await neighbourReads('fastapi-users', refresh, TEST_JWT_SECRET)).toEqual({
        accepted: false,
        error: 'MissingRequiredClaimError',
      });
      expect(decodeJwt(refresh).payload).not.toHaveProperty('aud');
      expect(decodeJwt(refresh).payload).not.toHaveProperty('sub');
    });

    it("SimpleJWT's JWTAuthentication accepts the access token and refuses the refresh token", async () => {
      const { access, refresh } = await login();
      expect(await neighbourReads('simplejwt', access, TEST_JWT_SECRET)).toEqual({
        accepted: true,
        identity: alice.id,
      });
      expect(await neighbourReads('simplejwt', refresh, TEST_JWT_SECRET)).toEqual({
        accepted: false,
        error: 'InvalidToken',
      });
    });

    it.each(['/api/token/refresh/', '/accounts/auth/jwt/refresh/', '/auth/token/refresh/'])(
      'a refresh token minted before the change (with sub and aud) still refreshes on %s',
      async (path) => {
        const old = token('refresh', [], { jti: randomBytes(16).toString('hex') });
        expect(decodeJwt(old).payload.aud).toEqual(['fastapi-users:auth']);
        const res = await t.http.post(path, { refresh: old });
        expect(res.status).toBe(200);
      },
    );
  });

  describe("fastapi-users' routes", () => {
    it('accept the access token with its audience, as a control', async () => {
      const res = await fastapiMe(`Bearer ${token('access')}`);
      expect(res.status).toBe(200);
      expect(res.body.email).toBe('alice@example.com');
    });

    it.each([
      ['without aud', () => token('access', ['aud'])],
      [
        'with the verification audience',
        () => token('access', [], { aud: 'fastapi-users:verify' }),
      ],
      ['with the reset audience', () => token('access', [], { aud: ['fastapi-users:reset'] })],
    ])('refuse a token %s with 401 {"detail": "Unauthorized"}', async (_case, make) => {
      const value = make();
      const res = await fastapiMe(`Bearer ${value}`);
      expect(res.status).toBe(401);
      expect(res.text).toBe('{"detail":"Unauthorized"}');
      // SimpleJWT's surfaces do not read `aud`: the same token is good there.
      expect((await me(`Bearer ${value}`)).status).toBe(200);
    });

    it('refuse "Bearer  <token>" with two spaces (fastapi-users splits at the first one)', async () => {
      const value = token('access');
      const res = await fastapiMe(`Bearer  ${value}`);
      expect(res.status).toBe(401);
      expect(res.text).toBe('{"detail":"Unauthorized"}');
      // DRF splits on any whitespace: the DRF surfaces take it.
      expect((await me(`Bearer  ${value}`)).status).toBe(200);
    });
  });
});
