import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { User } from '../src/accounts/user.entity';
import { FastapiUsersService } from '../src/accounts/fastapi-users.service';
import { UsersService } from '../src/accounts/users.service';
import { UsersAdminService } from '../src/surfaces/admin/users-admin.service';
import { decodeJwt, signJwt, unsignedJwt, verifyWithJwks } from './support/jwt';
import { ProbeModule } from './support/probe.module';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app';

const INVALID = { detail: 'Token is invalid or expired', code: 'token_not_valid' };
const NO_ACCOUNT = { detail: 'No active account found with the given credentials' };
const notValidForAnyType = (message: string) => ({
  detail: 'Given token not valid for any token type',
  code: 'token_not_valid',
  messages: [{ token_class: 'AccessToken', token_type: 'access', message }],
});

describe('seed 004 — SimpleJWT token endpoints', () => {
  let t: TestApp;
  let users: UsersService;
  let alice: User;
  let staff: User;

  beforeAll(async () => {
    t = await startTestApp({ imports: [ProbeModule] });
    users = t.app.get(UsersService);
    alice = await users.create({
      email: 'johndoe@example.com',
      password: 'example1234',
      firstName: 'John',
    });
    // A superuser: the admin tests below grant staff status, which plain staff may not.
    staff = await users.create({
      email: 'admin@example.com',
      password: 'admin-pass-1',
      isStaff: true,
      isSuperuser: true,
    });
    await users.create({ email: 'inactive@example.com', password: 'example1234', isActive: false });
    await users.create({ email: 'blocked@example.com', password: 'example1234', isBlocked: true });
  });
  afterAll(() => t.close());

  const login = async (email: string, password: string) => {
    const res = await t.http.post('/api/token/', { email, password });
    expect(res.status).toBe(200);
    return res.body as { refresh: string; access: string };
  };

  describe('the seed examples, as written', () => {
    it('POST api/token/ → 200 {refresh, access}', async () => {
      const res = await t.http.post('/api/token/', {
        email: 'johndoe@example.com',
        password: 'example1234',
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['refresh', 'access']);

      const refresh = decodeJwt(res.body.refresh);
      const access = decodeJwt(res.body.access);
      expect(access.header).toEqual({ alg: 'HS256', typ: 'JWT' });
      expect(Object.keys(access.payload).slice(0, 5)).toEqual([
        'token_type',
        'exp',
        'iat',
        'jti',
        'user_id',
      ]);
      expect(access.payload).toMatchObject({
        token_type: 'access',
        user_id: alice.id,
        sub: alice.uuid,
        aud: ['fastapi-users:auth'],
      });
      expect(access.payload.exp - access.payload.iat).toBe(300);
      expect(access.payload.jti).toMatch(/^[0-9a-f]{32}$/);
      expect(refresh.payload).toMatchObject({ token_type: 'refresh', user_id: alice.id });
      expect(refresh.payload.exp - refresh.payload.iat).toBe(86400);
      expect(refresh.payload.jti).not.toBe(access.payload.jti);
    });

    it('POST api/token/refresh/ → 200 {access}', async () => {
      const { refresh } = await login('johndoe@example.com', 'example1234');
      const res = await t.http.post('/api/token/refresh/', { refresh });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['access']);
      expect(decodeJwt(res.body.access).payload).toMatchObject({
        token_type: 'access',
        user_id: alice.id,
      });
      const me = await t.http.get('/probe/me/', {
        headers: { Authorization: `Bearer ${res.body.access}` },
      });
      expect(me.body).toEqual({ email: 'johndoe@example.com' });
    });

    it('POST api/token/verify/ → 200 [] for access and refresh tokens, 401 for the seed sample', async () => {
      const pair = await login('johndoe@example.com', 'example1234');
      for (const token of [pair.access, pair.refresh]) {
        const res = await t.http.post('/api/token/verify/', { token });
        expect(res.status).toBe(200);
        expect(res.text).toBe('[]');
      }
      const sample = await t.http.post('/api/token/verify/', {
        token: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N',
      });
      expect(sample.status).toBe(401);
      expect(sample.body).toEqual(INVALID);
    });
  });

  describe('login', () => {
    it('matches the e-mail case-insensitively', async () => {
      await login('JohnDoe@Example.COM', 'example1234');
    });

    it.each([
      ['a wrong password', 'johndoe@example.com', 'example12345'],
      ['an unknown user', 'nobody@example.com', 'example1234'],
      ['an inactive user', 'inactive@example.com', 'example1234'],
      ['a blocked user', 'blocked@example.com', 'example1234'],
    ])('refuses %s with the same 401', async (_name, email, password) => {
      const res = await t.http.post('/api/token/', { email, password });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(NO_ACCOUNT);
    });

    it('reports missing, blank and null fields as DRF field errors', async () => {
      const missing = await t.http.post('/api/token/', {});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({
        email: ['This field is required.'],
        password: ['This field is required.'],
      });
      const blank = await t.http.post('/api/token/', { email: '  ', password: '' });
      expect(blank.body).toEqual({
        email: ['This field may not be blank.'],
        password: ['This field may not be blank.'],
      });
      const nulls = await t.http.post('/api/token/', { email: null, password: 'x' });
      expect(nulls.body).toEqual({ email: ['This field may not be null.'] });
    });

    it('accepts form-urlencoded and multipart bodies too', async () => {
      const form = await t.http.request('POST', '/api/token/', {
        body: new URLSearchParams({ email: 'johndoe@example.com', password: 'example1234' }),
      });
      expect(form.status).toBe(200);
      const multipart = new FormData();
      multipart.set('email', 'johndoe@example.com');
      multipart.set('password', 'example1234');
      expect((await t.http.request('POST', '/api/token', { body: multipart })).status).toBe(200);
    });
  });

  describe('protected routes', () => {
    it('accept the access token with both Bearer and JWT', async () => {
      const { access } = await login('admin@example.com', 'admin-pass-1');
      for (const scheme of ['Bearer', 'JWT']) {
        const res = await t.http.get('/api/users/', {
          headers: { Authorization: `${scheme} ${access}` },
        });
        expect(res.status).toBe(200);
        expect(res.body.results.map((u: { email: string }) => u.email)).toContain(
          'admin@example.com',
        );
      }
    });

    it('refuse a refresh token presented as an access token', async () => {
      const { refresh } = await login('johndoe@example.com', 'example1234');
      const res = await t.http.get('/probe/me/', {
        headers: { Authorization: `Bearer ${refresh}` },
      });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(notValidForAnyType('Token has wrong type'));
      expect(res.headers.get('www-authenticate')).toBe('JWT realm="api"');
    });

    it('refuse garbage, and a header without a token', async () => {
      const garbage = await t.http.get('/probe/me/', {
        headers: { Authorization: 'JWT not-a-token' },
      });
      expect(garbage.status).toBe(401);
      expect(garbage.body).toEqual(notValidForAnyType('Token is invalid or expired'));
      const bare = await t.http.get('/probe/me/', { headers: { Authorization: 'JWT' } });
      expect(bare.status).toBe(401);
      expect(bare.body).toEqual({
        detail: 'Authorization header must contain two space-delimited values',
        code: 'bad_authorization_header',
      });
      const three = await t.http.get('/probe/me/', { headers: { Authorization: 'Bearer a b' } });
      expect(three.body.code).toBe('bad_authorization_header');
    });

    it('refuse the token of a user who became inactive, or was deleted', async () => {
      const temp = await users.create({ email: 'temp@example.com', password: 'temp-pass-1' });
      const { access } = await login('temp@example.com', 'temp-pass-1');
      // The user is in the cache now; the changes below must reach it.
      const active = await t.http.get('/probe/me/', {
        headers: { Authorization: `JWT ${access}` },
      });
      expect(active.status).toBe(200);
      await t.app.get(UsersAdminService).deactivate(staff, String(temp.id));
      const inactive = await t.http.get('/probe/me/', {
        headers: { Authorization: `JWT ${access}` },
      });
      expect(inactive.status).toBe(401);
      expect(inactive.body).toEqual({ detail: 'User is inactive', code: 'user_inactive' });
      await t.app.get(FastapiUsersService).delete(temp);
      const deleted = await t.http.get('/probe/me/', {
        headers: { Authorization: `JWT ${access}` },
      });
      expect(deleted.status).toBe(401);
      expect(deleted.body).toEqual({ detail: 'User not found', code: 'user_not_found' });
    });
  });

  describe('verify refuses', () => {
    const claims = () => ({
      token_type: 'access',
      exp: Math.floor(Date.now() / 1000) + 300,
      iat: Math.floor(Date.now() / 1000),
      jti: 'f'.repeat(32),
      user_id: alice.id,
    });
    const sign = (payload: Record<string, unknown>, secret: string) =>
      Promise.resolve(signJwt(payload, secret));

    it('a well-formed token of ours, as a control', async () => {
      const res = await t.http.post('/api/token/verify/', {
        token: await sign(claims(), TEST_JWT_SECRET),
      });
      expect(res.status).toBe(200);
    });

    it.each([
      [
        'a tampered payload',
        async () => {
          const { access } = await login('johndoe@example.com', 'example1234');
          const [h, p, s] = access.split('.');
          const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
          payload.user_id = staff.id;
          return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
        },
      ],
      [
        'an expired token',
        () => sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 1 }, TEST_JWT_SECRET),
      ],
      [
        'a token signed with another key',
        () => sign(claims(), 'another-secret-that-is-long-enough-0123456789'),
      ],
      ['an alg: none token', () => Promise.resolve(unsignedJwt(claims()))],
      [
        'an HS512 token with our secret',
        () => Promise.resolve(signJwt(claims(), TEST_JWT_SECRET, { algorithm: 'HS512' })),
      ],
    ])('%s', async (_name, make) => {
      const token = await make();
      const res = await t.http.post('/api/token/verify/', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(INVALID);
      const guarded = await t.http.get('/probe/me/', {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(guarded.status).toBe(401);
    });

    it('refresh with an access token: wrong type', async () => {
      const { access } = await login('johndoe@example.com', 'example1234');
      const res = await t.http.post('/api/token/refresh/', { refresh: access });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: 'Token has wrong type', code: 'token_not_valid' });
    });
  });

  describe('admin user management (staff only)', () => {
    let staffAuth: Record<string, string>;
    let userAuth: Record<string, string>;
    beforeAll(async () => {
      staffAuth = {
        Authorization: `Bearer ${(await login('admin@example.com', 'admin-pass-1')).access}`,
      };
      userAuth = {
        Authorization: `Bearer ${(await login('johndoe@example.com', 'example1234')).access}`,
      };
    });

    it('refuses non-staff with the DRF 403', async () => {
      for (const [method, path] of [
        ['GET', '/api/users/'],
        ['POST', '/api/users/'],
        ['GET', `/api/users/${alice.id}/`],
        ['PATCH', `/api/users/${alice.id}/`],
        ['DELETE', `/api/users/${alice.id}/`],
      ]) {
        const res = await t.http.request(method, path, {
          headers: userAuth,
          json: method === 'GET' || method === 'DELETE' ? undefined : {},
        });
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
      }
    });

    it('lists with DRF pagination', async () => {
      const res = await t.http.get('/api/users/?page_size=2', { headers: staffAuth });
      expect(res.status).toBe(200);
      expect(res.body.count).toBeGreaterThanOrEqual(4);
      expect(res.body.results).toHaveLength(2);
      expect(res.body.previous).toBeNull();
      expect(res.body.next).toBe(`${t.config.publicBaseUrl}/api/users/?page_size=2&page=2`);
      const next = await t.http.get('/api/users/?page_size=2&page=2', { headers: staffAuth });
      expect(next.body.previous).toBe(`${t.config.publicBaseUrl}/api/users/?page_size=2`);
      const beyond = await t.http.get('/api/users/?page=999', { headers: staffAuth });
      expect(beyond.status).toBe(404);
      expect(beyond.body).toEqual({ detail: 'Invalid page.' });
    });

    it('creates, retrieves, changes and deactivates a user', async () => {
      const created = await t.http.post(
        '/api/users/',
        { email: 'new@example.com', password: 'new-pass-1', first_name: 'New' },
        { headers: staffAuth },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        email: 'new@example.com',
        username: 'new',
        first_name: 'New',
        is_active: true,
        is_staff: false,
      });
      const id = created.body.id as number;

      const dup = await t.http.post(
        '/api/users/',
        { email: 'NEW@example.com', password: 'x' },
        { headers: staffAuth },
      );
      expect(dup.status).toBe(400);
      expect(dup.body).toEqual({ email: ['user with this email address already exists.'] });
      const bad = await t.http.post(
        '/api/users/',
        { email: 'not-an-email', password: 'x', is_staff: 'maybe' },
        { headers: staffAuth },
      );
      expect(bad.body).toEqual({
        email: ['Enter a valid email address.'],
        is_staff: ['Must be a valid boolean.'],
      });

      const patched = await t.http.request('PATCH', `/api/users/${id}/`, {
        headers: staffAuth,
        json: { is_staff: true, last_name: 'Person', email: 'ignored@example.com' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        id,
        is_staff: true,
        last_name: 'Person',
        email: 'new@example.com',
      });
      expect((await t.http.get(`/api/users/${id}/`, { headers: staffAuth })).body).toMatchObject({
        is_staff: true,
      });
      const invalid = await t.http.request('PATCH', `/api/users/${id}/`, {
        headers: staffAuth,
        json: { first_name: null, is_active: 'maybe' },
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toEqual({
        first_name: ['This field may not be null.'],
        is_active: ['Must be a valid boolean.'],
      });

      const { access } = await login('new@example.com', 'new-pass-1');
      const gone = await t.http.request('DELETE', `/api/users/${id}/`, { headers: staffAuth });
      expect(gone.status).toBe(204);
      expect((await t.http.get(`/api/users/${id}/`, { headers: staffAuth })).body).toMatchObject({
        is_active: false,
      });
      expect(
        (await t.http.post('/api/token/', { email: 'new@example.com', password: 'new-pass-1' }))
          .body,
      ).toEqual(NO_ACCOUNT);
      const refused = await t.http.get('/probe/me/', {
        headers: { Authorization: `JWT ${access}` },
      });
      expect(refused.body).toEqual({ detail: 'User is inactive', code: 'user_inactive' });

      for (const missing of ['999999', 'abc', '99999999999', '2147483648']) {
        const res = await t.http.get(`/api/users/${missing}/`, { headers: staffAuth });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: 'Not found.' });
      }
    });
  });

  describe('malformed input never yields a 500 and always speaks DRF', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const inputs: [
      string,
      { headers?: Record<string, string>; body?: string | FormData | URLSearchParams },
    ][] = [
      ['a JSON array', { headers: { 'content-type': 'application/json' }, body: '[1, 2]' }],
      ['a JSON string', { headers: { 'content-type': 'application/json' }, body: '"text"' }],
      ['a JSON number', { headers: { 'content-type': 'application/json' }, body: '42' }],
      ['JSON null', { headers: { 'content-type': 'application/json' }, body: 'null' }],
      ['JSON true', { headers: { 'content-type': 'application/json' }, body: 'true' }],
      ['an empty object', { headers: { 'content-type': 'application/json' }, body: '{}' }],
      [
        'null fields',
        {
          headers: { 'content-type': 'application/json' },
          body: '{"email":null,"password":null,"refresh":null,"token":null}',
        },
      ],
      [
        'number fields',
        {
          headers: { 'content-type': 'application/json' },
          body: '{"email":1,"password":2,"refresh":3,"token":4}',
        },
      ],
      [
        'array fields',
        {
          headers: { 'content-type': 'application/json' },
          body: '{"email":["a"],"password":["b"],"refresh":["c"],"token":["d"]}',
        },
      ],
      [
        'object fields',
        {
          headers: { 'content-type': 'application/json' },
          body: '{"email":{"$ne":1},"password":{},"refresh":{},"token":{}}',
        },
      ],
      [
        '1 MB strings',
        {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: 'a'.repeat(1_000_000),
            password: 'p'.repeat(1_000_000),
            refresh: 'r'.repeat(1_000_000),
            token: 't'.repeat(1_000_000),
          }),
        },
      ],
      [
        'unicode and NUL',
        {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: 'ü@ñ.中国\u0000',
            password: '🔑\u0000',
            refresh: '🔑.🔑.🔑',
            token: '\u202e',
          }),
        },
      ],
      [
        'SQL-ish strings',
        {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: "' OR 1=1 --",
            password: "x' OR '1'='1",
            refresh: "'; DROP TABLE users; --",
            token: '" OR ""="',
          }),
        },
      ],
      ['no body at all', {}],
      ['text/plain', { headers: { 'content-type': 'text/plain' }, body: 'email=a' }],
      ['malformed JSON', { headers: { 'content-type': 'application/json' }, body: '{"email": ' }],
      [
        'a __proto__ key',
        {
          headers: { 'content-type': 'application/json' },
          body: '{"__proto__": {"is_staff": true}, "constructor": {"prototype": {"x": 1}}}',
        },
      ],
      ['10k-deep nesting', { headers: { 'content-type': 'application/json' }, body: deep }],
      [
        'form fields sent twice',
        {
          body: new URLSearchParams([
            ['email', 'a'],
            ['email', 'b'],
            ['token', 'x'],
            ['token', 'y'],
          ]),
        },
      ],
      [
        'a body over the limit',
        {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'x'.repeat(3_000_000) }),
        },
      ],
    ];

    it('has twenty malformed inputs', () => expect(inputs).toHaveLength(20));

    for (const path of ['/api/token/', '/api/token/refresh/', '/api/token/verify/']) {
      it.each(inputs)(`POST ${path} with %s`, async (_name, input) => {
        const res = await t.http.request('POST', path, input);
        expect([400, 401, 413, 415]).toContain(res.status);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        const body = res.body as Record<string, unknown>;
        const isDetail = typeof body.detail === 'string';
        const isFieldErrors =
          Object.keys(body).length > 0 &&
          Object.values(body).every(
            (v) => Array.isArray(v) && v.every((m) => typeof m === 'string'),
          );
        expect(isDetail || isFieldErrors).toBe(true);
      });
    }

    it('left the users table as it was', async () => {
      const repository = t.app.get(DataSource).getRepository(User);
      expect(await repository.findOneByOrFail({ id: staff.id })).toMatchObject({
        isStaff: true,
        email: 'admin@example.com',
      });
      expect(await repository.findOneByOrFail({ id: alice.id })).toMatchObject({ isStaff: false });
    });
  });
});

describe('token lifetimes, rotation and blacklisting across instances', () => {
  let a: TestApp;
  let b: TestApp;
  const env = {
    ROTATE_REFRESH_TOKENS: 'true',
    BLACKLIST_AFTER_ROTATION: 'true',
    ACCESS_TOKEN_LIFETIME: '1',
    // Room for a rotation, a verify and a second refresh on a loaded CI machine.
    REFRESH_REUSE_GRACE: '2',
  };

  beforeAll(async () => {
    a = await startTestApp({ env, imports: [ProbeModule] });
    b = await startTestApp({ env, database: a.database, imports: [ProbeModule] });
    await a.app.get(UsersService).create({ email: 'rotor@example.com', password: 'rotor-pass-1' });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('an access token dies after its 1-second lifetime', async () => {
    // iat and exp are whole seconds: log in at the start of one, so the token
    // lives for most of a second rather than for what is left of it.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 10));
    const { body } = await a.http.post('/api/token/', {
      email: 'rotor@example.com',
      password: 'rotor-pass-1',
    });
    expect((await a.http.post('/api/token/verify/', { token: body.access })).status).toBe(200);
    const exp = decodeJwt(body.access).payload.exp as number;
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
    const res = await a.http.post('/api/token/verify/', { token: body.access });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(INVALID);
  });

  it('refresh rotates; the old token yields its successor within the grace window, then is reuse on the other instance', async () => {
    const { body: pair } = await a.http.post('/api/token/', {
      email: 'rotor@example.com',
      password: 'rotor-pass-1',
    });
    const rotated = await a.http.post('/api/token/refresh/', { refresh: pair.refresh });
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body)).toEqual(['access', 'refresh']);
    expect(rotated.body.refresh).not.toBe(pair.refresh);
    // Blacklisted after rotation, as SimpleJWT does; verify says so.
    const verify = await b.http.post('/api/token/verify/', { token: pair.refresh });
    expect(verify.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });

    const again = await b.http.post('/api/token/refresh/', { refresh: pair.refresh });
    expect(again.status).toBe(200);
    expect(again.body.refresh).toBe(rotated.body.refresh);

    await new Promise((r) => setTimeout(r, 2100));
    const replay = await b.http.post('/api/token/refresh/', { refresh: pair.refresh });
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    // The whole session ended: the successor is refused too.
    const next = await a.http.post('/api/token/refresh/', { refresh: rotated.body.refresh });
    expect(next.status).toBe(401);
    expect(next.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
  });

  it('two concurrent refreshes of one token on two instances: both get the same successor', async () => {
    const { body: pair } = await a.http.post('/api/token/', {
      email: 'rotor@example.com',
      password: 'rotor-pass-1',
    });
    const results = await Promise.all([
      a.http.post('/api/token/refresh/', { refresh: pair.refresh }),
      b.http.post('/api/token/refresh/', { refresh: pair.refresh }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results[0].body.refresh).toBe(results[1].body.refresh);
  });
});

describe('asymmetric keys, JWKS and key rotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
  const pem = (name: string, type: 'rsa' | 'ec' | 'ec384') => {
    const options =
      type === 'rsa' ? { modulusLength: 2048 } : { namedCurve: type === 'ec' ? 'P-256' : 'P-384' };
    const { privateKey, publicKey } = generateKeyPairSync(
      (type === 'rsa' ? 'rsa' : 'ec') as 'rsa',
      options as { modulusLength: number },
    );
    const file = join(dir, `${name}.pem`);
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    return { file, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  };

  it.each([
    ['RS256', 'rsa'],
    ['ES256', 'ec'],
    ['PS256', 'rsa'],
    ['ES384', 'ec384'],
  ] as const)(
    '%s: tokens verify against /.well-known/jwks.json with a generic JWT library',
    async (alg, type) => {
      const key = pem(`${alg}-current`, type);
      const t = await startTestApp({ env: { JWT_ALGORITHM: alg, JWT_PRIVATE_KEY_FILE: key.file } });
      try {
        await t.app
          .get(UsersService)
          .create({ email: 'keys@example.com', password: 'keys-pass-1' });
        const { body } = await t.http.post('/api/token/', {
          email: 'keys@example.com',
          password: 'keys-pass-1',
        });
        const jwks = await t.http.get('/.well-known/jwks.json');
        expect(jwks.status).toBe(200);
        expect(jwks.body.keys).toHaveLength(1);
        expect(jwks.body.keys[0]).toMatchObject({ alg, use: 'sig' });
        expect(jwks.body.keys[0]).not.toHaveProperty('d');
        const { payload, header } = verifyWithJwks(body.access, jwks.body, alg);
        expect(header.kid).toBe(jwks.body.keys[0].kid);
        expect(payload).toMatchObject({ token_type: 'access' });
        expect((await t.http.post('/api/token/verify/', { token: body.refresh })).status).toBe(200);
      } finally {
        await t.close();
      }
    },
  );

  it('refuses an HS256 token forged with the RS256 public key as its secret', async () => {
    const key = pem('confusion', 'rsa');
    const t = await startTestApp({
      env: { JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY_FILE: key.file },
    });
    try {
      const user = await t.app
        .get(UsersService)
        .create({ email: 'conf@example.com', password: 'conf-pass-1' });
      const now = Math.floor(Date.now() / 1000);
      const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ token_type: 'access', exp: now + 300, iat: now, jti: 'a'.repeat(32), user_id: user.id })}`;
      const forged = `${unsigned}.${createHmac('sha256', key.publicPem).update(unsigned).digest('base64url')}`;
      const res = await t.http.post('/api/token/verify/', { token: forged });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(INVALID);
    } finally {
      await t.close();
    }
  });

  it('keeps accepting tokens of a previous key after the key changes', async () => {
    const old = pem('old', 'rsa');
    const current = pem('new', 'rsa');
    const first = await startTestApp({
      env: { JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY_FILE: old.file },
    });
    await first.app.get(UsersService).create({ email: 'rot@example.com', password: 'rot-pass-1' });
    const { body } = await first.http.post('/api/token/', {
      email: 'rot@example.com',
      password: 'rot-pass-1',
    });
    await first.app.close();

    const second = await startTestApp({
      database: first.database,
      env: {
        JWT_ALGORITHM: 'RS256',
        JWT_PRIVATE_KEY_FILE: current.file,
        JWT_PREVIOUS_KEY_FILES: old.file,
      },
    });
    const withoutOld = await startTestApp({
      database: first.database,
      env: { JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY_FILE: current.file },
    });
    try {
      expect((await second.http.post('/api/token/verify/', { token: body.access })).status).toBe(
        200,
      );
      expect((await second.http.get('/.well-known/jwks.json')).body.keys).toHaveLength(2);
      expect(
        (await withoutOld.http.post('/api/token/verify/', { token: body.access })).status,
      ).toBe(401);
    } finally {
      await withoutOld.close();
      await second.close();
      await first.database.drop();
    }
  });
});
