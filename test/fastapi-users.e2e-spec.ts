import type { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { MailService } from '../src/mail/mail.service';
import { decodeJwt, signJwt } from './support/jwt';
import { linkIn, Mailbox, type ReceivedMail } from './support/mailbox';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const UNAUTHORIZED = '{"detail":"Unauthorized"}';
const missing = (field: string, input: unknown = null) => ({
  type: 'missing',
  loc: ['body', field],
  msg: 'Field required',
  input,
});
const BOTH_MISSING = JSON.stringify({ detail: [missing('username'), missing('password')] });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const tokenIn = (mail: ReceivedMail) => new URL(linkIn(mail)).searchParams.get('token')!;

describe('seed 001 — KYC API (fastapi-users)', () => {
  let t: TestApp;
  let mailbox: Mailbox;
  let users: UsersService;
  let alice: User;
  let admin: User;

  beforeAll(async () => {
    mailbox = await Mailbox.start();
    t = await startTestApp({
      env: { SMTP_URL: mailbox.url, MAIL_RETRY_DELAY: '0.05', FRONTEND_URL: 'https://kyc.example' },
    });
    users = t.app.get(UsersService);
    alice = await users.create({ email: 'alice@example.com', password: 'alice-secret-pass' });
    admin = await users.create({
      email: 'admin@example.com',
      password: 'admin-secret-pass',
      isSuperuser: true,
      isVerified: true,
    });
    await users.create({
      email: 'inactive@example.com',
      password: 'alice-secret-pass',
      isActive: false,
    });
    await users.create({
      email: 'blocked@example.com',
      password: 'alice-secret-pass',
      isBlocked: true,
    });
  });
  afterAll(async () => {
    await t.app.get(MailService).idle();
    await t.close();
    await mailbox.stop();
  });

  const loginForm = (body: string) =>
    t.http.request('POST', '/auth/jwt/login', { headers: FORM, body });
  // The kit's Bearer login: fastapi-users' form login, a refusal failing the test.
  const login = async (email: string, password: string): Promise<string> =>
    (await t.loginAs({ email, password }, 'Bearer')).credentials.access!;

  describe('POST /auth/jwt/login', () => {
    it('answers 200 {"access_token", "token_type": "bearer"} (that order, compact) for form data', async () => {
      const res = await loginForm('username=alice%40example.com&password=alice-secret-pass');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.text).toBe(`{"access_token":"${res.body.access_token}","token_type":"bearer"}`);
    });

    it("carries fastapi-users' claims (sub = the UUID, aud) and SimpleJWT's, living FASTAPI_USERS_TOKEN_LIFETIME", async () => {
      const { header, payload } = decodeJwt(await login('alice@example.com', 'alice-secret-pass'));
      expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
      expect(payload).toMatchObject({
        sub: alice.uuid,
        aud: ['fastapi-users:auth'],
        token_type: 'access',
        user_id: alice.id,
      });
      expect(payload.exp - payload.iat).toBe(3600);
    });

    it('accepts grant_type=password, scope, client_id and client_secret, multipart too, and the e-mail in any case', async () => {
      const full = await loginForm(
        'grant_type=password&username=ALICE%40Example.com&password=alice-secret-pass&scope=me+items&client_id=kyc&client_secret=s',
      );
      expect(full.status).toBe(200);
      const form = new FormData();
      form.set('username', 'alice@example.com');
      form.set('password', 'alice-secret-pass');
      const multipart = await t.http.request('POST', '/auth/jwt/login', { body: form });
      expect(multipart.status).toBe(200);
    });

    it.each([
      ['a wrong password', 'alice@example.com', 'wrong-password'],
      ['an unknown user', 'nobody@example.com', 'alice-secret-pass'],
      ['an inactive user (right password)', 'inactive@example.com', 'alice-secret-pass'],
      ['a blocked user (right password)', 'blocked@example.com', 'alice-secret-pass'],
      ['a username with a NUL', 'alice@example.com\u0000', 'alice-secret-pass'],
    ])(
      'answers %s with 400 {"detail": "LOGIN_BAD_CREDENTIALS"}',
      async (_case, email, password) => {
        const res = await loginForm(new URLSearchParams({ username: email, password }).toString());
        expect(res.status).toBe(400);
        expect(res.text).toBe('{"detail":"LOGIN_BAD_CREDENTIALS"}');
      },
    );

    it('lets an unverified user in while REQUIRE_VERIFIED_LOGIN is off', async () => {
      expect(alice.isVerified).toBe(false);
      await login('alice@example.com', 'alice-secret-pass');
    });

    describe('422, as FastAPI validates OAuth2PasswordRequestForm', () => {
      it.each([
        ['missing username', 'password=x', [missing('username')]],
        ['missing password', 'username=alice%40example.com', [missing('password')]],
        ['an empty username field', 'username=&password=x', [missing('username')]],
        ['an empty form', '', [missing('username'), missing('password')]],
      ])('%s', async (_case, body, detail) => {
        const res = await loginForm(body);
        expect(res.status).toBe(422);
        expect(res.text).toBe(JSON.stringify({ detail }));
      });

      it('grant_type other than "password": string_pattern_mismatch', async () => {
        const res = await loginForm(
          'grant_type=client_credentials&username=alice%40example.com&password=alice-secret-pass',
        );
        expect(res.status).toBe(422);
        expect(res.text).toBe(
          '{"detail":[{"type":"string_pattern_mismatch","loc":["body","grant_type"],' +
            '"msg":"String should match pattern \'^password$\'","input":"client_credentials",' +
            '"ctx":{"pattern":"^password$"}}]}',
        );
      });

      it('grant_type errors come first, in the form field order', async () => {
        const res = await loginForm('grant_type=refresh_token');
        expect(res.status).toBe(422);
        expect(res.body.detail.map((item: { loc: string[] }) => item.loc[1])).toEqual([
          'grant_type',
          'username',
          'password',
        ]);
      });

      it.each([
        [
          'a JSON body',
          { 'Content-Type': 'application/json' },
          '{"username":"alice@example.com","password":"alice-secret-pass"}',
        ],
        ['malformed JSON', { 'Content-Type': 'application/json' }, '{"username":'],
        [
          'a text/plain body',
          { 'Content-Type': 'text/plain' },
          'username=alice@example.com&password=x',
        ],
        ['an empty body', {}, undefined],
        ['a body with no content type', {}, 'username=alice@example.com&password=x'],
      ])('%s: no form fields, both missing', async (_case, headers, body) => {
        const res = await t.http.request('POST', '/auth/jwt/login', { headers, body });
        expect(res.status).toBe(422);
        expect(res.text).toBe(BOTH_MISSING);
      });
    });

    it("answers a body over BODY_LIMIT, of any media type, with 413 in FastAPI's words", async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const res = await t.http.request('POST', '/auth/jwt/login', {
          headers: { 'Content-Type': type },
          body: 'x'.repeat(t.config.bodyLimit + 1),
        });
        expect(res.status).toBe(413);
        expect(res.text).toBe('{"detail":"Request Entity Too Large"}');
      }
    });

    it('answers other methods with 405 {"detail": "Method Not Allowed"} and Allow', async () => {
      const res = await t.http.get('/auth/jwt/login');
      expect(res.status).toBe(405);
      expect(res.text).toBe('{"detail":"Method Not Allowed"}');
      expect(res.headers.get('allow')).toBe('POST');
      const me = await t.http.request('PUT', '/users/me');
      expect(me.status).toBe(405);
      expect(me.body).toEqual({ detail: 'Method Not Allowed' });
    });

    it('answers with and without a trailing slash', async () => {
      const res = await t.http.request('POST', '/auth/jwt/login/', {
        headers: FORM,
        body: 'username=alice%40example.com&password=alice-secret-pass',
      });
      expect(res.status).toBe(200);
    });
  });

  describe('REQUIRE_VERIFIED_LOGIN=true', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({
        env: { REQUIRE_VERIFIED_LOGIN: 'true' },
        database: t.database,
      });
    });
    afterAll(() => strict.close());

    const strictLogin = (username: string, password: string) =>
      strict.http.request('POST', '/auth/jwt/login', {
        headers: FORM,
        body: new URLSearchParams({ username, password }).toString(),
      });

    it('refuses an unverified user with the right password: 400 {"detail": "LOGIN_USER_NOT_VERIFIED"}', async () => {
      const res = await strictLogin('alice@example.com', 'alice-secret-pass');
      expect(res.status).toBe(400);
      expect(res.text).toBe('{"detail":"LOGIN_USER_NOT_VERIFIED"}');
    });

    it('checks credentials and activity first: an inactive user or a wrong password is LOGIN_BAD_CREDENTIALS', async () => {
      for (const [email, password] of [
        ['inactive@example.com', 'alice-secret-pass'],
        ['alice@example.com', 'wrong-password'],
      ]) {
        const res = await strictLogin(email, password);
        expect(res.text).toBe('{"detail":"LOGIN_BAD_CREDENTIALS"}');
      }
    });

    it('lets a verified user in, and refuses logout to an unverified one (403)', async () => {
      const ok = await strictLogin('admin@example.com', 'admin-secret-pass');
      expect(ok.status).toBe(200);
      const aliceToken = await login('alice@example.com', 'alice-secret-pass');
      const logout = await strict.http.post('/auth/jwt/logout', undefined, {
        headers: bearer(aliceToken),
      });
      expect(logout.status).toBe(403);
      expect(logout.text).toBe('{"detail":"Forbidden"}');
    });
  });

  describe('Bearer tokens across surfaces', () => {
    it('authenticates /users/me with Bearer in any case, and with JWT', async () => {
      const token = await login('alice@example.com', 'alice-secret-pass');
      for (const scheme of ['Bearer', 'bearer', 'BEARER', 'JWT']) {
        const res = await t.http.get('/users/me', {
          headers: { Authorization: `${scheme} ${token}` },
        });
        expect(res.status).toBe(200);
        expect(res.text).toBe(
          `{"id":"${alice.uuid}","email":"alice@example.com","is_active":true,"is_superuser":false,"is_verified":false}`,
        );
      }
    });

    it('answers a missing, unknown-scheme, forged or refresh token with 401 {"detail": "Unauthorized"} and WWW-Authenticate: Bearer', async () => {
      const { refresh } = (
        await t.http.post('/api/token/', {
          email: 'alice@example.com',
          password: 'alice-secret-pass',
        })
      ).body as { refresh: string };
      const forged = signJwt(
        {
          sub: alice.uuid,
          user_id: alice.id,
          token_type: 'access',
          jti: 'x',
        },
        'another-secret-entirely-0123456789abcdef',
        { expiresIn: 3600 },
      );
      for (const headers of [
        {},
        { Authorization: 'Basic YWxpY2U6eA==' },
        bearer(forged),
        bearer(refresh),
        { Authorization: 'Bearer' },
      ]) {
        for (const path of ['/users/me', '/api/v1/resource']) {
          const res = await t.http.get(path, { headers });
          expect(res.status).toBe(401);
          expect(res.text).toBe(UNAUTHORIZED);
          expect(res.headers.get('www-authenticate')).toBe('Bearer');
        }
      }
    });

    it("refuses the token of a user deactivated since (401), as fastapi-users' active-user dependency does", async () => {
      const bob = await users.create({ email: 'bob@example.com', password: 'bob-secret-pass1' });
      const token = await login('bob@example.com', 'bob-secret-pass1');
      const deactivate = await t.http.request('PATCH', `/users/${bob.uuid}`, {
        headers: bearer(await login('admin@example.com', 'admin-secret-pass')),
        json: { is_active: false },
      });
      expect(deactivate.status).toBe(200);
      const res = await t.http.get('/users/me', { headers: bearer(token) });
      expect(res.status).toBe(401);
      expect(res.text).toBe(UNAUTHORIZED);
    });

    it('a /auth/jwt/login token works on the DRF surfaces (Bearer and JWT)', async () => {
      const token = await login('alice@example.com', 'alice-secret-pass');
      for (const scheme of ['Bearer', 'JWT']) {
        const headers = { Authorization: `${scheme} ${token}` };
        const details = await t.http.get('/auth/user/', { headers });
        expect(details.status).toBe(200);
        expect(details.body).toMatchObject({ pk: alice.id, email: 'alice@example.com' });
        const dstoq = await t.http.get('/accounts/auth/users/me/', { headers });
        expect(dstoq.status).toBe(200);
        expect(dstoq.body).toMatchObject({ email: 'alice@example.com' });
      }
    });

    it('an access token from /api/token/ works on /users/me and /api/v1/resource', async () => {
      const { access } = (
        await t.http.post('/api/token/', {
          email: 'alice@example.com',
          password: 'alice-secret-pass',
        })
      ).body as { access: string };
      for (const path of ['/users/me', '/api/v1/resource']) {
        const res = await t.http.get(path, { headers: bearer(access) });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: alice.uuid, email: 'alice@example.com' });
      }
    });

    it('POST /auth/jwt/logout answers 204 with no body to an authenticated user, 401 otherwise', async () => {
      const res = await t.http.post('/auth/jwt/logout', undefined, {
        headers: bearer(await login('alice@example.com', 'alice-secret-pass')),
      });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const anonymous = await t.http.post('/auth/jwt/logout');
      expect(anonymous.status).toBe(401);
      expect(anonymous.text).toBe(UNAUTHORIZED);
    });

    it('has no refresh endpoint, as the seed says', async () => {
      const res = await t.http.post('/auth/jwt/refresh');
      expect(res.status).toBe(404);
    });
  });

  describe('POST /auth/register', () => {
    it('answers 201 with the user (id = UUID), ignores privileged fields, and derives a unique username', async () => {
      await users.create({ email: 'carol@elsewhere.example', password: 'whatever-pass-1' });
      const res = await t.http.post('/auth/register', {
        email: 'carol@Example.COM',
        password: 'carol-secret-pass',
        is_active: false,
        is_superuser: true,
        is_verified: true,
      });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual([
        'id',
        'email',
        'is_active',
        'is_superuser',
        'is_verified',
      ]);
      expect(res.body).toEqual({
        id: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        email: 'carol@example.com',
        is_active: true,
        is_superuser: false,
        is_verified: false,
      });
      const stored = (await users.findByEmail('carol@example.com'))!;
      expect(stored.uuid).toBe(res.body.id);
      expect(stored.username).toBe('carol2');
      await login('carol@example.com', 'carol-secret-pass');
    });

    it('answers a taken address (any case) with 400 {"detail": "REGISTER_USER_ALREADY_EXISTS"}', async () => {
      const res = await t.http.post('/auth/register', {
        email: 'ALICE@example.com',
        password: 'another-good-pass',
      });
      expect(res.status).toBe(400);
      expect(res.text).toBe('{"detail":"REGISTER_USER_ALREADY_EXISTS"}');
    });

    it('answers a weak password with {"detail": {"code": "REGISTER_INVALID_PASSWORD", "reason"}} before checking the address', async () => {
      const res = await t.http.post('/auth/register', {
        email: 'alice@example.com',
        password: '1234',
      });
      expect(res.status).toBe(400);
      expect(res.text).toBe(
        '{"detail":{"code":"REGISTER_INVALID_PASSWORD","reason":' +
          '"This password is too short. It must contain at least 8 characters. ' +
          'This password is too common. This password is entirely numeric."}}',
      );
    });

    it('422: missing fields name the body as input, as pydantic does for a model', async () => {
      const res = await t.http.post('/auth/register', { password: 'x' });
      expect(res.status).toBe(422);
      expect(res.text).toBe(JSON.stringify({ detail: [missing('email', { password: 'x' })] }));
      const empty = await t.http.post('/auth/register', {});
      expect(empty.body).toEqual({ detail: [missing('email', {}), missing('password', {})] });
    });

    it('422: no body, a non-object, a form body, wrong types and a bad address', async () => {
      const none = await t.http.request('POST', '/auth/register');
      expect(none.text).toBe(
        '{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}',
      );

      const list = await t.http.post('/auth/register', ['x']);
      expect(list.status).toBe(422);
      expect(list.body).toEqual({
        detail: [
          {
            type: 'model_attributes_type',
            loc: ['body'],
            msg: 'Input should be a valid dictionary or object to extract fields from',
            input: ['x'],
          },
        ],
      });

      const form = await t.http.request('POST', '/auth/register', {
        headers: FORM,
        body: 'email=a%40b.example&password=x',
      });
      expect(form.status).toBe(422);
      expect(form.body.detail[0]).toMatchObject({
        type: 'model_attributes_type',
        input: 'email=a%40b.example&password=x',
      });

      const types = await t.http.post('/auth/register', {
        email: 42,
        password: null,
        is_active: 'maybe',
      });
      expect(types.body).toEqual({
        detail: [
          {
            type: 'string_type',
            loc: ['body', 'email'],
            msg: 'Input should be a valid string',
            input: 42,
          },
          {
            type: 'string_type',
            loc: ['body', 'password'],
            msg: 'Input should be a valid string',
            input: null,
          },
          {
            type: 'bool_parsing',
            loc: ['body', 'is_active'],
            msg: 'Input should be a valid boolean, unable to interpret input',
            input: 'maybe',
          },
        ],
      });

      const email = await t.http.post('/auth/register', {
        email: 'user.example.com',
        password: 'x',
      });
      expect(email.text).toBe(
        '{"detail":[{"type":"value_error","loc":["body","email"],' +
          '"msg":"value is not a valid email address: An email address must have an @-sign.",' +
          '"input":"user.example.com","ctx":{"reason":"An email address must have an @-sign."}}]}',
      );

      const json = await t.http.request('POST', '/auth/register', {
        headers: { 'Content-Type': 'application/json' },
        body: '{"email": ',
      });
      expect(json.status).toBe(422);
      expect(json.body.detail[0]).toMatchObject({
        type: 'json_invalid',
        loc: ['body', expect.any(Number)],
        msg: 'JSON decode error',
        input: {},
      });
    });
  });

  describe('verification: request-verify-token → mail → verify', () => {
    it('mails a token to an unverified user; /auth/verify marks them verified once', async () => {
      await users.create({ email: 'dave@example.com', password: 'dave-secret-pass' });
      const res = await t.http.post('/auth/request-verify-token', { email: 'DAVE@example.com' });
      expect(res.status).toBe(202);
      expect(res.text).toBe('null');

      const mail = await mailbox.waitFor('dave@example.com');
      expect(linkIn(mail)).toMatch(/^https:\/\/kyc\.example\/verify\?token=/);
      const token = tokenIn(mail);
      expect(decodeJwt(token).payload).toMatchObject({
        email: 'dave@example.com',
        aud: 'fastapi-users:verify',
      });

      const verified = await t.http.post('/auth/verify', { token });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ email: 'dave@example.com', is_verified: true });

      const again = await t.http.post('/auth/verify', { token });
      expect(again.status).toBe(400);
      expect(again.text).toBe('{"detail":"VERIFY_USER_ALREADY_VERIFIED"}');
    });

    it('answers unknown, inactive and verified addresses alike (202 null) and mails none of them', async () => {
      const before = mailbox.mails.length;
      for (const email of ['nobody@example.com', 'inactive@example.com', 'admin@example.com']) {
        const res = await t.http.post('/auth/request-verify-token', { email });
        expect(res.status).toBe(202);
        expect(res.text).toBe('null');
      }
      await t.app.get(MailService).idle();
      expect(mailbox.mails.length).toBe(before);
    });

    it.each([
      ['garbage', () => Promise.resolve('not-a-jwt')],
      ['an access token', () => login('alice@example.com', 'alice-secret-pass')],
      [
        'a token signed with another key',
        () =>
          signJwt(
            { sub: alice.uuid, email: alice.email, aud: 'fastapi-users:verify' },
            'another-secret-entirely-0123456789abcdef',
            { expiresIn: 3600 },
          ),
      ],
      [
        'an expired token',
        () =>
          signJwt(
            {
              sub: alice.uuid,
              email: alice.email,
              aud: 'fastapi-users:verify',
              exp: Math.floor(Date.now() / 1000) - 10,
            },
            TEST_JWT_SECRET,
          ),
      ],
      [
        'a token whose e-mail and id disagree',
        () =>
          signJwt(
            { sub: admin.uuid, email: alice.email, aud: 'fastapi-users:verify' },
            TEST_JWT_SECRET,
            { expiresIn: 3600 },
          ),
      ],
      [
        'a reset-password token',
        () =>
          signJwt(
            { sub: alice.uuid, email: alice.email, aud: 'fastapi-users:reset' },
            TEST_JWT_SECRET,
            { expiresIn: 3600 },
          ),
      ],
    ])('answers %s with 400 {"detail": "VERIFY_USER_BAD_TOKEN"}', async (_case, make) => {
      const res = await t.http.post('/auth/verify', { token: await make() });
      expect(res.status).toBe(400);
      expect(res.text).toBe('{"detail":"VERIFY_USER_BAD_TOKEN"}');
    });

    it('a well-formed token signed with the right key verifies (the claims are what matter)', async () => {
      const erin = await users.create({ email: 'erin@example.com', password: 'erin-secret-pass' });
      const token = signJwt(
        { sub: erin.uuid.toUpperCase(), email: erin.email, aud: 'fastapi-users:verify' },
        TEST_JWT_SECRET,
        { expiresIn: 3600 },
      );
      const res = await t.http.post('/auth/verify', { token });
      expect(res.status).toBe(200);
      expect(res.body.is_verified).toBe(true);
    });

    it('422 for a missing token', async () => {
      const res = await t.http.post('/auth/verify', {});
      expect(res.text).toBe(JSON.stringify({ detail: [missing('token')] }));
    });
  });

  describe('password reset: forgot-password → mail → reset-password', () => {
    it('answers known and unknown addresses alike (202 null), and mails only the known one', async () => {
      await users.create({ email: 'frank@example.com', password: 'frank-secret-pass' });
      const before = mailbox.mails.length;
      for (const email of [
        'frank@example.com',
        'nobody@example.com',
        'inactive@example.com',
        'blocked@example.com',
      ]) {
        const res = await t.http.post('/auth/forgot-password', { email });
        expect(res.status).toBe(202);
        expect(res.text).toBe('null');
      }
      const mail = await mailbox.waitFor('frank@example.com');
      await t.app.get(MailService).idle();
      expect(mailbox.mails.length).toBe(before + 1);
      expect(linkIn(mail)).toMatch(/^https:\/\/kyc\.example\/reset-password\?token=/);
      expect(mail.subject).toBe('[kyc.example] Reset your password');
    });

    it('resets once with the mailed token; the token dies with the old password', async () => {
      await t.http.post('/auth/forgot-password', { email: 'frank@example.com' });
      const token = tokenIn(await mailbox.waitFor('frank@example.com', 2));
      expect(decodeJwt(token).payload).toMatchObject({
        aud: 'fastapi-users:reset',
        password_fgpt: expect.any(String),
      });

      const weak = await t.http.post('/auth/reset-password', { token, password: 'frank' });
      expect(weak.status).toBe(400);
      expect(weak.text).toBe(
        '{"detail":{"code":"RESET_PASSWORD_INVALID_PASSWORD","reason":' +
          '"The password is too similar to the username. This password is too short. ' +
          'It must contain at least 8 characters. This password is too common."}}',
      );

      const res = await t.http.post('/auth/reset-password', {
        token,
        password: 'frank-new-password',
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe('null');
      await login('frank@example.com', 'frank-new-password');
      const old = await loginForm('username=frank%40example.com&password=frank-secret-pass');
      expect(old.text).toBe('{"detail":"LOGIN_BAD_CREDENTIALS"}');

      const reused = await t.http.post('/auth/reset-password', {
        token,
        password: 'frank-third-password',
      });
      expect(reused.status).toBe(400);
      expect(reused.text).toBe('{"detail":"RESET_PASSWORD_BAD_TOKEN"}');
    });

    it.each([
      ['garbage', () => Promise.resolve('garbage')],
      ['an access token', () => login('alice@example.com', 'alice-secret-pass')],
      [
        'a verification token',
        () =>
          signJwt(
            { sub: alice.uuid, password_fgpt: 'x', aud: 'fastapi-users:verify' },
            TEST_JWT_SECRET,
            { expiresIn: 3600 },
          ),
      ],
      [
        'a token with a wrong fingerprint',
        () =>
          signJwt(
            { sub: alice.uuid, password_fgpt: 'x', aud: 'fastapi-users:reset' },
            TEST_JWT_SECRET,
            { expiresIn: 3600 },
          ),
      ],
    ])('answers %s with 400 {"detail": "RESET_PASSWORD_BAD_TOKEN"}', async (_case, make) => {
      const res = await t.http.post('/auth/reset-password', {
        token: await make(),
        password: 'good-new-password',
      });
      expect(res.status).toBe(400);
      expect(res.text).toBe('{"detail":"RESET_PASSWORD_BAD_TOKEN"}');
    });

    it('refuses the token of a user deactivated since it was mailed', async () => {
      const gina = await users.create({ email: 'gina@example.com', password: 'gina-secret-pass' });
      await t.http.post('/auth/forgot-password', { email: 'gina@example.com' });
      const token = tokenIn(await mailbox.waitFor('gina@example.com'));
      await t.http.request('PATCH', `/users/${gina.uuid}`, {
        headers: bearer(await login('admin@example.com', 'admin-secret-pass')),
        json: { is_active: false },
      });
      const res = await t.http.post('/auth/reset-password', {
        token,
        password: 'good-new-password',
      });
      expect(res.text).toBe('{"detail":"RESET_PASSWORD_BAD_TOKEN"}');
    });

    it('422 for missing fields, each named', async () => {
      const res = await t.http.post('/auth/reset-password', {});
      expect(res.text).toBe(JSON.stringify({ detail: [missing('token'), missing('password')] }));
      const forgot = await t.http.post('/auth/forgot-password', { email: 'not-an-address' });
      expect(forgot.status).toBe(422);
      expect(forgot.body.detail[0]).toMatchObject({ type: 'value_error', loc: ['body', 'email'] });
    });
  });

  it('the whole journey: register → verify → forgot → reset → login', async () => {
    const registered = await t.http.post('/auth/register', {
      email: 'journey@example.com',
      password: 'journey-first-pass',
    });
    expect(registered.status).toBe(201);

    await t.http.post('/auth/request-verify-token', { email: 'journey@example.com' });
    const verifyMail = await mailbox.waitFor('journey@example.com', 1);
    expect(verifyMail.subject).toBe('[kyc.example] Verify your e-mail address');
    const verified = await t.http.post('/auth/verify', { token: tokenIn(verifyMail) });
    expect(verified.body).toEqual({ ...registered.body, is_verified: true });

    await t.http.post('/auth/forgot-password', { email: 'journey@example.com' });
    const resetMail = await mailbox.waitFor('journey@example.com', 2);
    const reset = await t.http.post('/auth/reset-password', {
      token: tokenIn(resetMail),
      password: 'journey-second-pass',
    });
    expect(reset.status).toBe(200);

    const token = await login('journey@example.com', 'journey-second-pass');
    const me = await t.http.get('/users/me', { headers: bearer(token) });
    expect(me.body).toEqual({ ...registered.body, is_verified: true });
  });

  describe('/users/me', () => {
    it('PATCH changes the password (validated) and ignores the privileged flags', async () => {
      const henry = await users.create({
        email: 'henry@example.com',
        password: 'henry-secret-pass',
      });
      const token = await login('henry@example.com', 'henry-secret-pass');
      const weak = await t.http.request('PATCH', '/users/me', {
        headers: bearer(token),
        json: { password: 'Zq9!x' },
      });
      expect(weak.status).toBe(400);
      expect(weak.text).toBe(
        '{"detail":{"code":"UPDATE_USER_INVALID_PASSWORD","reason":' +
          '"This password is too short. It must contain at least 8 characters."}}',
      );

      const res = await t.http.request('PATCH', '/users/me', {
        headers: bearer(token),
        json: {
          password: 'henry-new-password',
          is_superuser: true,
          is_verified: true,
          is_active: false,
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: henry.uuid,
        email: 'henry@example.com',
        is_active: true,
        is_superuser: false,
        is_verified: false,
      });
      await login('henry@example.com', 'henry-new-password');
    });

    it('PATCH of the e-mail: a taken one is UPDATE_USER_EMAIL_ALREADY_EXISTS; a new one needs verifying again', async () => {
      await users.create({
        email: 'ivy@example.com',
        password: 'ivy-secret-pass1',
        isVerified: true,
      });
      const token = await login('ivy@example.com', 'ivy-secret-pass1');
      const taken = await t.http.request('PATCH', '/users/me', {
        headers: bearer(token),
        json: { email: 'Alice@example.com' },
      });
      expect(taken.status).toBe(400);
      expect(taken.text).toBe('{"detail":"UPDATE_USER_EMAIL_ALREADY_EXISTS"}');

      const moved = await t.http.request('PATCH', '/users/me', {
        headers: bearer(token),
        json: { email: 'ivy@new.example' },
      });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ email: 'ivy@new.example', is_verified: false });
      await login('ivy@new.example', 'ivy-secret-pass1');
    });

    it('PATCH 422 for a bad body; 401 without credentials', async () => {
      const token = await login('alice@example.com', 'alice-secret-pass');
      const bad = await t.http.request('PATCH', '/users/me', {
        headers: bearer(token),
        json: { email: 'nope' },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0]).toMatchObject({
        type: 'value_error',
        loc: ['body', 'email'],
        input: 'nope',
      });
      const anonymous = await t.http.request('PATCH', '/users/me', { json: {} });
      expect(anonymous.status).toBe(401);
      expect(anonymous.text).toBe(UNAUTHORIZED);
    });
  });

  describe('/users/{id} (superusers)', () => {
    let adminToken: string;
    let aliceToken: string;
    beforeAll(async () => {
      adminToken = await login('admin@example.com', 'admin-secret-pass');
      aliceToken = await login('alice@example.com', 'alice-secret-pass');
    });

    it('answers a non-superuser with 403 {"detail": "Forbidden"} and nobody with 401', async () => {
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const res = await t.http.request(method, `/users/${admin.uuid}`, {
          headers: bearer(aliceToken),
          json: method === 'PATCH' ? {} : undefined,
        });
        expect(res.status).toBe(403);
        expect(res.text).toBe('{"detail":"Forbidden"}');
        const anonymous = await t.http.request(method, `/users/${admin.uuid}`);
        expect(anonymous.status).toBe(401);
        expect(anonymous.text).toBe(UNAUTHORIZED);
      }
    });

    it('GET answers the user; an unknown or malformed id is 404 {"detail": "Not Found"}', async () => {
      const res = await t.http.get(`/users/${alice.uuid}`, { headers: bearer(adminToken) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: alice.uuid, email: 'alice@example.com' });
      const braces = await t.http.get(`/users/{${alice.uuid.toUpperCase()}}`, {
        headers: bearer(adminToken),
      });
      expect(braces.body.id).toBe(alice.uuid);
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', String(alice.id)]) {
        const missingUser = await t.http.get(`/users/${id}`, { headers: bearer(adminToken) });
        expect(missingUser.status).toBe(404);
        expect(missingUser.text).toBe('{"detail":"Not Found"}');
      }
    });

    it('PATCH sets the flags, the e-mail and the password', async () => {
      const jack = await users.create({ email: 'jack@example.com', password: 'jack-secret-pass' });
      const res = await t.http.request('PATCH', `/users/${jack.uuid}`, {
        headers: bearer(adminToken),
        json: {
          email: 'jack@new.example',
          is_verified: true,
          is_superuser: true,
          password: 'jack-new-password',
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: jack.uuid,
        email: 'jack@new.example',
        is_active: true,
        is_superuser: true,
        is_verified: true,
      });
      await login('jack@new.example', 'jack-new-password');
      const taken = await t.http.request('PATCH', `/users/${jack.uuid}`, {
        headers: bearer(adminToken),
        json: { email: 'alice@example.com' },
      });
      expect(taken.text).toBe('{"detail":"UPDATE_USER_EMAIL_ALREADY_EXISTS"}');
    });

    it('DELETE answers 204 with no body; the user is gone', async () => {
      const kate = await users.create({ email: 'kate@example.com', password: 'kate-secret-pass' });
      const kateToken = await login('kate@example.com', 'kate-secret-pass');
      const res = await t.http.request('DELETE', `/users/${kate.uuid}`, {
        headers: bearer(adminToken),
      });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const gone = await t.http.get(`/users/${kate.uuid}`, { headers: bearer(adminToken) });
      expect(gone.status).toBe(404);
      const own = await t.http.get('/users/me', { headers: bearer(kateToken) });
      expect(own.status).toBe(401);
      expect(await users.findByEmail('kate@example.com')).toBeNull();
    });
  });

  describe('the Swagger document', () => {
    it('documents the surface under its tag, with the OAuth2 password flow on /auth/jwt/login', async () => {
      const { body: doc } = await t.http.get('/docs-json');
      const tag = doc.tags.find((x: { name: string }) => x.name === 'fastapi-users');
      expect(tag.description).toContain('There is no refresh token endpoint');
      expect(doc.components.securitySchemes.OAuth2PasswordBearer).toEqual({
        type: 'oauth2',
        description: expect.any(String),
        flows: { password: { tokenUrl: '/auth/jwt/login', scopes: {} } },
      });

      const operations: [string, string][] = [
        ['/auth/jwt/login', 'post'],
        ['/auth/jwt/logout', 'post'],
        ['/auth/register', 'post'],
        ['/auth/forgot-password', 'post'],
        ['/auth/reset-password', 'post'],
        ['/auth/request-verify-token', 'post'],
        ['/auth/verify', 'post'],
        ['/users/me', 'get'],
        ['/users/me', 'patch'],
        ['/users/{id}', 'get'],
        ['/users/{id}', 'patch'],
        ['/users/{id}', 'delete'],
        ['/api/v1/resource', 'get'],
      ];
      for (const [path, method] of operations) {
        const operation = doc.paths[path][method];
        expect(operation.tags).toEqual(['fastapi-users']);
        expect(operation.summary).toEqual(expect.any(String));
      }

      const loginOp = doc.paths['/auth/jwt/login'].post;
      expect(Object.keys(loginOp.requestBody.content)).toEqual([
        'application/x-www-form-urlencoded',
      ]);
      expect(loginOp.responses['400'].content['application/json'].examples).toHaveProperty(
        'LOGIN_USER_NOT_VERIFIED',
      );
      expect(loginOp.responses['422']).toBeDefined();
      expect(loginOp['x-codeSamples'].map((s: { lang: string }) => s.lang)).toEqual([
        'Shell',
        'Python',
        'JavaScript',
      ]);
      expect(loginOp.security).toBeUndefined();

      const me = doc.paths['/users/me'].get;
      expect(me.security[0]).toEqual({ OAuth2PasswordBearer: [] });
      expect(me.responses['401'].content['application/json'].examples.Unauthorized.value).toEqual({
        detail: 'Unauthorized',
      });
      expect(
        doc.paths['/users/{id}'].delete.responses['403'].content['application/json'].examples
          .Forbidden.value,
      ).toEqual({
        detail: 'Forbidden',
      });
    });
  });
});
