import { UsernameAlreadyUsedError } from '../src/accounts/users.errors';
import { UsersService } from '../src/accounts/users.service';
import { INVALID_ACCESS_TOKEN_BODY } from './support/jwt';
import { linkIn, Mailbox } from './support/mailbox';
import { startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'correct-horse-battery';

/**
 * Issue 13's wire differences: what a client of each mirrored library sees,
 * class by class, on every surface where the class applies.
 */
describe('wire compatibility with the mirrored libraries', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app
      .get(UsersService)
      .create({ email: 'wire@example.com', username: 'wire', password: PASSWORD });
  });
  afterAll(() => t.close());

  /** A JSON body sent with the given Content-Type header. */
  const postJson = (path: string, body: unknown, contentType: string) =>
    t.http.request('POST', path, {
      headers: { 'Content-Type': contentType },
      body: JSON.stringify(body),
    });

  describe('1. JSON with media-type parameters or in any letter case is JSON', () => {
    const CONTENT_TYPES = [
      'application/json; charset=utf-8',
      'application/json;charset=UTF-8',
      'Application/JSON',
      'APPLICATION/JSON; charset="utf-8"; foo=bar',
    ];

    it.each(CONTENT_TYPES)('SimpleJWT, djoser and dj-rest-auth logins read %s', async (type) => {
      const simplejwt = await postJson(
        '/api/token/',
        { email: 'wire@example.com', password: PASSWORD },
        type,
      );
      expect(simplejwt.status).toBe(200);
      expect(Object.keys(simplejwt.body)).toEqual(['refresh', 'access']);

      const djoser = await postJson(
        '/accounts/auth/jwt/create/',
        { username: 'wire@example.com', password: PASSWORD },
        type,
      );
      expect(djoser.status).toBe(200);
      expect(Object.keys(djoser.body)).toEqual(['refresh', 'access']);

      const restAuth = await postJson(
        '/auth/login/',
        { email: 'wire@example.com', password: PASSWORD },
        type,
      );
      expect(restAuth.status).toBe(200);
      expect(restAuth.body.key).toMatch(/^[0-9a-f]{40}$/);

      // A field error, not a 415: the body was read as JSON.
      const verify = await postJson('/auth/token/verify/', {}, type);
      expect(verify.status).toBe(400);
      expect(verify.body).toEqual({ token: ['This field is required.'] });
    });

    it.each(CONTENT_TYPES)('fastapi-users reads %s as JSON', async (type) => {
      const email = `json-${CONTENT_TYPES.indexOf(type)}@example.com`;
      const registered = await postJson('/auth/register', { email, password: PASSWORD }, type);
      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ email, is_active: true });
    });

    it('another media type is still a 415 in DRF dialect', async () => {
      const text = await t.http.request('POST', '/api/token/', {
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: '{}',
      });
      expect(text.status).toBe(415);
      expect(text.body).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
    });
  });

  describe("3. dj-rest-auth registration: similarity errors are the serializer's, with verbose names", () => {
    const register = (body: Record<string, unknown>) => t.http.post('/auth/registration/', body);

    it('seed 003: too similar to the username', async () => {
      const res = await register({
        username: 'marguerite',
        email: 'm3@example.com',
        password1: 'marguerite1',
        password2: 'marguerite1',
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        non_field_errors: ['The password is too similar to the username.'],
      });
    });

    it('seed 003: too similar to the email address', async () => {
      const res = await register({
        username: 'quentin',
        email: 'zephyrine.quartz@corp.example',
        password1: 'zephyrine.quartz@corp',
        password2: 'zephyrine.quartz@corp',
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        non_field_errors: ['The password is too similar to the email address.'],
      });
    });

    it('seed 002: compared with the username allauth generates from the e-mail', async () => {
      const res = await register({
        full_name: 'Quentin',
        email: 'zephyrine.quartz@corp.example',
        password: 'zephyrine.quartz@corp',
        confirm_password: 'zephyrine.quartz@corp',
        subscribe: true,
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        non_field_errors: ['The password is too similar to the username.'],
      });
    });

    it('the other validators still answer under password1, and nothing was written', async () => {
      const res = await register({
        username: 'shorty',
        email: 'shorty@example.com',
        password1: 'shorty',
        password2: 'shorty',
      });
      expect(res.body).toEqual({
        password1: [
          'This password is too short. It must contain at least 8 characters.',
          'This password is too common.',
        ],
      });
      const users = t.app.get(UsersService);
      expect(await users.findByEmail('shorty@example.com')).toBeNull();
      expect(await users.findByEmail('m3@example.com')).toBeNull();
      expect(await users.findByEmail('zephyrine.quartz@corp.example')).toBeNull();
    });
  });

  describe('4. dj-rest-auth login: an e-mail field is an EmailField; usernames ignore case', () => {
    it('an email that is not an address is a field error', async () => {
      for (const email of ['wire', 'wire@', 'not an address']) {
        const res = await t.http.post('/auth/login/', { email, password: PASSWORD });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ email: ['Enter a valid email address.'] });
      }
      // A blank one is allowed, and the username is used.
      const blank = await t.http.post('/auth/login/', {
        username: 'wire',
        email: '',
        password: PASSWORD,
      });
      expect(blank.status).toBe(200);
    });

    it('matches the username in any letter case (allauth), on both flavours', async () => {
      for (const username of ['WIRE', 'Wire', 'wire']) {
        const res = await t.http.post('/auth/login/', { username, password: PASSWORD });
        expect(res.status).toBe(200);
        expect(res.body.user).toMatchObject({ username: 'wire', email: 'wire@example.com' });
        expect(res.body.key).toMatch(/^[0-9a-f]{40}$/);
      }
      const wrong = await t.http.post('/auth/login/', { username: 'WIRE', password: 'nope-nope' });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toEqual({
        non_field_errors: ['Unable to log in with provided credentials.'],
      });
    });

    it("SimpleJWT's views keep ModelBackend's exact username", async () => {
      const res = await t.http.post('/api/token/', { email: 'WIRE', password: PASSWORD });
      expect(res.status).toBe(401);
    });
  });

  describe('10. fastapi-users login looks the user up by e-mail only', () => {
    const login = (username: string) =>
      t.http.request('POST', '/auth/jwt/login', {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password: PASSWORD }).toString(),
      });

    it('a username that is not an e-mail is LOGIN_BAD_CREDENTIALS, the e-mail logs in', async () => {
      const byName = await login('wire');
      expect(byName.status).toBe(400);
      expect(byName.text).toBe('{"detail":"LOGIN_BAD_CREDENTIALS"}');
      const byEmail = await login('WIRE@example.com');
      expect(byEmail.status).toBe(200);
      expect(byEmail.body.token_type).toBe('bearer');
    });
  });

  describe('5. /authentication/user/ answers GET, PUT and PATCH as /auth/user/ does', () => {
    it.each(['/auth/user/', '/authentication/user/'])('%s', async (path) => {
      const users = t.app.get(UsersService);
      const name = path.startsWith('/auth/') ? 'details-a' : 'details-b';
      await users.create({ email: `${name}@example.com`, username: name, password: PASSWORD });
      const login = await t.http.post('/auth/login/', { username: name, password: PASSWORD });
      const headers = { Authorization: `Token ${login.body.key}` };

      const get = await t.http.get(path, { headers });
      expect(get.status).toBe(200);
      expect(get.body).toMatchObject({ username: name, first_name: '', last_name: '' });

      const put = await t.http.request('PUT', path, {
        headers,
        json: { username: `${name}-2`, first_name: 'Ada' },
      });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({
        pk: get.body.pk,
        username: `${name}-2`,
        email: `${name}@example.com`,
        first_name: 'Ada',
        last_name: '',
      });

      const patch = await t.http.request('PATCH', path, { headers, json: { last_name: 'King' } });
      expect(patch.status).toBe(200);
      expect(patch.body).toMatchObject({
        username: `${name}-2`,
        first_name: 'Ada',
        last_name: 'King',
      });

      const putWithoutName = await t.http.request('PUT', path, { headers, json: {} });
      expect(putWithoutName.status).toBe(400);
      expect(putWithoutName.body).toEqual({ username: ['This field is required.'] });

      const taken = await t.http.request('PATCH', path, { headers, json: { username: 'wire' } });
      expect(taken.status).toBe(400);
      expect(taken.body).toEqual({ username: ['A user with that username already exists.'] });

      const post = await t.http.post(path, {}, { headers });
      expect(post.status).toBe(405);
      expect(post.body).toEqual({ detail: 'Method "POST" not allowed.' });
      expect(post.headers.get('allow')?.split(', ').sort()).toEqual(
        expect.arrayContaining(['GET', 'PATCH', 'PUT']),
      );

      const anonymous = await t.http.request('PATCH', path, { json: { last_name: 'X' } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    });
  });

  describe('6. DRF authenticates before the view, on open views and before the method check', () => {
    const loginKey = async () =>
      (await t.http.post('/auth/login/', { username: 'wire', password: PASSWORD })).body
        .key as string;

    it('a second logout with the same key is 401 "Invalid token."; GET with it is 401, not 405', async () => {
      const headers = { Authorization: `Token ${await loginKey()}` };
      const first = await t.http.post('/auth/logout/', {}, { headers });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ detail: 'Successfully logged out.' });

      const second = await t.http.post('/auth/logout/', {}, { headers });
      expect(second.status).toBe(401);
      expect(second.body).toEqual({ detail: 'Invalid token.' });
      expect(second.headers.get('www-authenticate')).toBe('Token');

      const get = await t.http.get('/auth/logout/', { headers });
      expect(get.status).toBe(401);
      expect(get.body).toEqual({ detail: 'Invalid token.' });

      // Without credentials the method check answers, as before.
      const anonymousGet = await t.http.get('/auth/logout/');
      expect(anonymousGet.status).toBe(405);
      expect(anonymousGet.body).toEqual({ detail: 'Method "GET" not allowed.' });
      const anonymous = await t.http.post('/auth/logout/', {});
      expect(anonymous.status).toBe(200);
    });

    it("a garbage or expired Bearer/JWT token on logout is SimpleJWT's 401", async () => {
      for (const header of ['Bearer garbage', 'JWT not.a.jwt']) {
        const res = await t.http.post('/auth/logout/', {}, { headers: { Authorization: header } });
        expect(res.status).toBe(401);
        expect(res.body).toEqual(INVALID_ACCESS_TOKEN_BODY);
        expect(res.headers.get('www-authenticate')).toBe('JWT realm="api"');
      }
      const bad = await t.http.post('/auth/logout/', {}, { headers: { Authorization: 'Bearer' } });
      expect(bad.status).toBe(401);
      expect(bad.body).toEqual({
        detail: 'Authorization header must contain two space-delimited values',
        code: 'bad_authorization_header',
      });
    });

    it('a valid credential on an open view passes; an unknown scheme is no credential', async () => {
      const key = await loginKey();
      const ok = await t.http.post(
        '/auth/logout/',
        {},
        { headers: { Authorization: `Token ${key}` } },
      );
      expect(ok.status).toBe(200);
      const basic = await t.http.post(
        '/auth/login/',
        { username: 'wire', password: PASSWORD },
        { headers: { Authorization: 'Basic d2lyZTp4' } },
      );
      expect(basic.status).toBe(200);
    });

    it('every dj-rest-auth view open to anyone authenticates a credential that is sent', async () => {
      const headers = { Authorization: 'Token 0000000000000000000000000000000000000000' };
      for (const path of [
        '/auth/login/',
        '/auth/registration/',
        '/auth/password/reset/',
        '/auth/password/reset/confirm/',
        '/auth/registration/verify-email/',
        '/auth/registration/resend-email/',
      ]) {
        const res = await t.http.post(path, {}, { headers });
        expect({ path, status: res.status, body: res.body }).toEqual({
          path,
          status: 401,
          body: { detail: 'Invalid token.' },
        });
      }
      // A protected view's 405 waits for authentication too.
      const del = await t.http.request('DELETE', '/auth/user/', { headers });
      expect(del.status).toBe(401);
      expect(del.body).toEqual({ detail: 'Invalid token.' });
    });

    it("SimpleJWT's token views authenticate nobody (authentication_classes = ())", async () => {
      const headers = { Authorization: 'Bearer garbage' };
      const obtain = await t.http.post(
        '/api/token/',
        { email: 'wire@example.com', password: PASSWORD },
        { headers },
      );
      expect(obtain.status).toBe(200);
      const djoser = await t.http.post(
        '/accounts/auth/jwt/create/',
        { username: 'wire@example.com', password: PASSWORD },
        { headers },
      );
      expect(djoser.status).toBe(200);
      const verify = await t.http.post(
        '/auth/token/verify/',
        { token: djoser.body.access },
        { headers },
      );
      expect(verify.status).toBe(200);
      const get = await t.http.get('/api/token/', { headers });
      expect(get.status).toBe(405);
      expect((await t.http.get('/health', { headers })).status).toBe(200);
    });

    it("fastapi-users' open routes read no header", async () => {
      const res = await t.http.request('POST', '/auth/jwt/login', {
        headers: {
          Authorization: 'Bearer garbage',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ username: 'wire@example.com', password: PASSWORD }).toString(),
      });
      expect(res.status).toBe(200);
    });
  });

  describe("7. dj-rest-auth's refresh without a usable refresh token is SimpleJWT's InvalidToken", () => {
    it.each([
      ['no field', {}],
      ['refresh_token instead of refresh', { refresh_token: 'eyJhbGciOiJIUzI1NiJ9.e30.x' }],
    ])('%s → 401', async (_case, body) => {
      const res = await t.http.post('/auth/token/refresh/', body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        detail: 'No valid refresh token found.',
        code: 'token_not_valid',
      });
      expect(res.headers.get('www-authenticate')).toBe('JWT realm="api"');
    });

    it('an empty body → 401', async () => {
      const res = await t.http.request('POST', '/auth/token/refresh/', {
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        detail: 'No valid refresh token found.',
        code: 'token_not_valid',
      });
    });

    it('a refresh that is present but blank or null is still a field error', async () => {
      expect((await t.http.post('/auth/token/refresh/', { refresh: '' })).body).toEqual({
        refresh: ['This field may not be blank.'],
      });
      expect((await t.http.post('/auth/token/refresh/', { refresh: null })).body).toEqual({
        refresh: ['This field may not be null.'],
      });
    });
  });

  describe("8. field errors come in the serializer's declared order", () => {
    const keysOf = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await t.http.post(path, body, { headers });
      expect(res.status).toBe(400);
      return Object.keys(res.body);
    };

    it('dj-rest-auth: reset confirm, change, login, registration, user details', async () => {
      expect(await keysOf('/auth/password/reset/confirm/', {})).toEqual([
        'new_password1',
        'new_password2',
        'uid',
        'token',
      ]);
      expect(
        await keysOf('/auth/password/reset/confirm/', { uid: 7, token: null, new_password2: [] }),
      ).toEqual(['new_password1', 'new_password2', 'token']);
      const key = (await t.http.post('/auth/login/', { username: 'wire', password: PASSWORD })).body
        .key as string;
      const auth = { Authorization: `Token ${key}` };
      expect(await keysOf('/auth/password/change/', {}, auth)).toEqual([
        'old_password',
        'new_password1',
        'new_password2',
      ]);
      expect(await keysOf('/auth/login/', { username: 7.5, email: 'x', password: null })).toEqual([
        'email',
        'password',
      ]);
      expect(
        await keysOf('/auth/registration/', { username: '!', email: 'x', password1: null }),
      ).toEqual(['username', 'email', 'password1']);
      const put = await t.http.request('PUT', '/auth/user/', {
        headers: auth,
        json: { last_name: 'x'.repeat(151), first_name: [], username: '' },
      });
      expect(Object.keys(put.body)).toEqual(['username', 'first_name', 'last_name']);
    });

    it('SimpleJWT and djoser: the username field, then password', async () => {
      expect(await keysOf('/api/token/', {})).toEqual(['email', 'password']);
      expect(await keysOf('/api/token/refresh/', {})).toEqual(['refresh']);
      expect(await keysOf('/accounts/auth/jwt/create/', { password: null, email: [] })).toEqual([
        'email',
        'password',
      ]);
    });
  });

  describe('a uniqueness race on the users table', () => {
    it('two concurrent PUT /auth/user/ with one new username: one 200, one field error', async () => {
      const users = t.app.get(UsersService);
      for (let round = 0; round < 5; round++) {
        const headers = await Promise.all(
          ['a', 'b'].map(async (side) => {
            const username = `race-${round}-${side}`;
            await users.create({ email: `${username}@example.com`, username, password: PASSWORD });
            const login = await t.http.post('/auth/login/', { username, password: PASSWORD });
            return { Authorization: `Token ${login.body.key}` };
          }),
        );
        const wanted = `taken-${round}`;
        const answers = await Promise.all(
          headers.map((h) =>
            t.http.request('PUT', '/auth/user/', { headers: h, json: { username: wanted } }),
          ),
        );
        expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
        expect(answers.find((a) => a.status === 400)!.body).toEqual({
          username: ['A user with that username already exists.'],
        });
        expect(answers.find((a) => a.status === 200)!.body.username).toBe(wanted);
      }
    });

    it('the write itself maps a lost race to the field error (both checks pass before either write)', async () => {
      // Over HTTP, SQLite's synchronous driver rarely interleaves two requests; here both
      // uniqueness checks run before either UPDATE, on every database.
      const users = t.app.get(UsersService);
      const [a, b] = await Promise.all(
        ['c', 'd'].map((side) =>
          users.create({
            email: `race-${side}@example.com`,
            username: `race-${side}`,
            password: PASSWORD,
          }),
        ),
      );
      const results = await Promise.allSettled([
        users.updateDetails(a, { username: 'raced' }),
        users.updateDetails(b, { username: 'raced' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r) => r.status === 'rejected')!;
      expect(refused.reason).toBeInstanceOf(UsernameAlreadyUsedError);
      const stored = await Promise.all([users.findById(a.id), users.findById(b.id)]);
      // The winner holds the name; the loser kept its own, and only it was refused.
      const winner = results[0].status === 'fulfilled' ? 0 : 1;
      expect(stored[winner]!.username).toBe('raced');
      expect(stored[1 - winner]!.username).toBe(winner === 0 ? 'race-d' : 'race-c');
    });
  });
});

describe('9. the e-mail confirmation link carries the key verbatim, as allauth writes it', () => {
  let mailbox: Mailbox;
  let t: TestApp;
  beforeAll(async () => {
    mailbox = await Mailbox.start();
    t = await startTestApp({
      env: { SMTP_URL: mailbox.url, MAIL_RETRY_DELAY: '0.05', FRONTEND_URL: 'https://app.test' },
    });
  });
  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  it('a key copied from the mail verifies', async () => {
    const registered = await t.http.post('/auth/registration/', {
      email: 'verbatim@example.com',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(registered.status).toBe(201);
    const mail = await mailbox.waitFor('verbatim@example.com');
    const link = linkIn(mail);
    const match = /^https:\/\/app\.test\/verify-email\/([^/]+)\/$/.exec(link);
    expect(match).not.toBeNull();
    const key = match![1];
    expect(key).toContain(':');
    expect(key).not.toContain('%');
    expect(mail.html).toContain(`href="${link}"`);

    const verified = await t.http.post('/auth/registration/verify-email/', { key });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ detail: 'ok' });
    expect((await t.app.get(UsersService).findByEmail('verbatim@example.com'))!.isVerified).toBe(
      true,
    );
  });
});
