import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersService } from '../src/accounts/users.service';
import { AuditService } from '../src/audit/audit.service';
import { AuthEvent } from '../src/audit/auth-event.entity';
import { detectRedis, REDIS_URL } from './support/redis';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { type HttpResponse, startTestApp, type TestApp } from './support/test-app';

/**
 * Throttling per client address and per (address, identifier), in each dialect.
 * TRUST_PROXY lets X-Forwarded-For stand for the client's address; each test
 * takes fresh addresses, so counts never leak between tests (or runs, on Redis).
 */
const PASSWORD = 'Owner-Pass-123';
const LOW_RATES = [
  'login=3/minute',
  'login_address=8/minute',
  'mail=2/hour',
  'mail_address=8/hour',
  'mail_account=3/hour',
  'confirm=2/minute',
  'confirm_address=8/minute',
].join(',');

function freshAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

const DRF_THROTTLED = /^Request was throttled\. Expected available in (\d+) seconds?\.$/;

function expectDrfThrottled(res: HttpResponse, maxSeconds: number): void {
  expect(res.status).toBe(429);
  expect(Object.keys(res.body)).toEqual(['detail']);
  const seconds = Number(DRF_THROTTLED.exec(res.body.detail)?.[1]);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(maxSeconds);
  expect(res.headers.get('retry-after')).toBe(String(seconds));
}

function expectFastApiThrottled(res: HttpResponse, maxSeconds: number): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ detail: 'Too Many Requests' });
  const seconds = Number(res.headers.get('retry-after'));
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(maxSeconds);
}

interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  dialect: 'drf' | 'fastapi';
  /** The identifier-rate for its scope (LOW_RATES) and its window. */
  limit: number;
  window: number;
  body?: Record<string, string>;
  form?: Record<string, string>;
  auth?: boolean;
}

/** Every credential- or mail-bearing endpoint, with a request naming one identifier. */
const ENDPOINTS: Endpoint[] = [
  // login scope
  {
    method: 'POST',
    path: '/api/token/',
    dialect: 'drf',
    limit: 3,
    window: 60,
    body: { email: 'owner@example.com', password: 'wrong' },
  },
  {
    method: 'POST',
    path: '/accounts/auth/jwt/create/',
    dialect: 'drf',
    limit: 3,
    window: 60,
    body: { username: 'owner@example.com', password: 'wrong' },
  },
  {
    method: 'POST',
    path: '/auth/login/',
    dialect: 'drf',
    limit: 3,
    window: 60,
    body: { email: 'owner@example.com', password: 'wrong' },
  },
  {
    method: 'POST',
    path: '/auth/jwt/login',
    dialect: 'fastapi',
    limit: 3,
    window: 60,
    form: { username: 'owner@example.com', password: 'wrong' },
  },
  {
    method: 'POST',
    path: '/dashboard/login/',
    dialect: 'drf',
    limit: 3,
    window: 60,
    form: { email: 'owner@example.com', password: 'wrong' },
  },
  {
    method: 'POST',
    path: '/api/token/refresh/',
    dialect: 'drf',
    limit: 3,
    window: 60,
    body: { refresh: 'not-a-token' },
  },
  {
    method: 'POST',
    path: '/accounts/auth/jwt/refresh/',
    dialect: 'drf',
    limit: 3,
    window: 60,
    body: { refresh: 'not-a-token' },
  },
  {
    method: 'POST',
    path: '/auth/token/refresh/',
    dialect: 'drf',
    limit: 3,
    window: 60,
    body: { refresh: 'not-a-token' },
  },
  { method: 'GET', path: '/auth/hijack/?token=not-a-key', dialect: 'drf', limit: 3, window: 60 },
  {
    method: 'POST',
    path: '/auth/password/change/',
    dialect: 'drf',
    limit: 3,
    window: 60,
    auth: true,
    body: { old_password: 'wrong', new_password1: 'New-Pass-456', new_password2: 'New-Pass-456' },
  },
  // mail scope
  {
    method: 'POST',
    path: '/auth/registration/',
    dialect: 'drf',
    limit: 2,
    window: 3600,
    body: { email: 'new@example.com', password1: 'short', password2: 'short' },
  },
  {
    method: 'POST',
    path: '/auth/register',
    dialect: 'fastapi',
    limit: 2,
    window: 3600,
    body: { email: 'auth-register@example.com', password: PASSWORD },
  },
  {
    method: 'POST',
    path: '/auth/password/reset/',
    dialect: 'drf',
    limit: 2,
    window: 3600,
    body: { email: 'auth-password-reset@example.com' },
  },
  {
    method: 'POST',
    path: '/auth/registration/resend-email/',
    dialect: 'drf',
    limit: 2,
    window: 3600,
    body: { email: 'auth-registration-resend-email@example.com' },
  },
  {
    method: 'POST',
    path: '/auth/forgot-password',
    dialect: 'fastapi',
    limit: 2,
    window: 3600,
    body: { email: 'auth-forgot-password@example.com' },
  },
  {
    method: 'POST',
    path: '/auth/request-verify-token',
    dialect: 'fastapi',
    limit: 2,
    window: 3600,
    body: { email: 'auth-request-verify-token@example.com' },
  },
  { method: 'POST', path: '/auth/login-link/', dialect: 'drf', limit: 2, window: 3600, auth: true },
  // confirm scope
  {
    method: 'POST',
    path: '/auth/password/reset/confirm/',
    dialect: 'drf',
    limit: 2,
    window: 60,
    body: { uid: 'zz', token: 'bad', new_password1: 'New-Pass-456', new_password2: 'New-Pass-456' },
  },
  {
    method: 'POST',
    path: '/auth/reset-password',
    dialect: 'fastapi',
    limit: 2,
    window: 60,
    body: { token: 'bad', password: 'New-Pass-456' },
  },
  {
    method: 'POST',
    path: '/auth/registration/verify-email/',
    dialect: 'drf',
    limit: 2,
    window: 60,
    body: { key: 'bad' },
  },
  {
    method: 'POST',
    path: '/auth/verify',
    dialect: 'fastapi',
    limit: 2,
    window: 60,
    body: { token: 'bad' },
  },
  { method: 'GET', path: '/auth/login-link/?ticket=bad', dialect: 'drf', limit: 2, window: 60 },
];

async function call(
  t: TestApp,
  endpoint: Endpoint,
  address: string,
  headers: Record<string, string> = {},
): Promise<HttpResponse> {
  const all = { 'x-forwarded-for': address, ...headers };
  if (endpoint.form) {
    return t.http.request(endpoint.method, endpoint.path, {
      headers: all,
      body: new URLSearchParams(endpoint.form),
    });
  }
  return t.http.request(endpoint.method, endpoint.path, { headers: all, json: endpoint.body });
}

describe('throttling of credential- and mail-bearing endpoints, without lockout', () => {
  let t: TestApp;
  let access: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'true', DEFAULT_THROTTLE_RATES: LOW_RATES } });
    await t.app.get(UsersService).create({
      email: 'owner@example.com',
      username: 'owner',
      password: PASSWORD,
      isVerified: true,
    });
    const login = await t.http.post('/api/token/', {
      email: 'owner@example.com',
      password: PASSWORD,
    });
    access = login.body.access as string;
  });
  afterAll(() => t.close());

  it.each(ENDPOINTS.map((endpoint) => [endpoint.method, endpoint.path, endpoint] as const))(
    '%s %s answers 429 in its dialect with Retry-After past its rate',
    async (_method, _path, endpoint) => {
      const address = freshAddress();
      const headers: Record<string, string> = endpoint.auth
        ? { authorization: `Bearer ${access}` }
        : {};
      for (let i = 0; i < endpoint.limit; i++) {
        const allowed = await call(t, endpoint, address, headers);
        expect(allowed.status).not.toBe(429);
      }
      const refused = await call(t, endpoint, address, headers);
      if (endpoint.dialect === 'drf') expectDrfThrottled(refused, endpoint.window);
      else expectFastApiThrottled(refused, endpoint.window);
    },
  );

  it('lets the owner log in from another address while an attacker is throttled on the account', async () => {
    const attacker = freshAddress();
    for (let i = 0; i < 3; i++) {
      const res = await t.http.post(
        '/api/token/',
        { email: 'owner@example.com', password: `guess-${i}` },
        { headers: { 'x-forwarded-for': attacker } },
      );
      expect(res.status).toBe(401);
    }
    // The attacker is stopped, even with the right password...
    const stopped = await t.http.post(
      '/api/token/',
      { email: 'owner@example.com', password: PASSWORD },
      { headers: { 'x-forwarded-for': attacker } },
    );
    expectDrfThrottled(stopped, 60);
    // ...on every login endpoint of the scope (one count, not one per endpoint).
    const elsewhere = await t.http.request('POST', '/auth/jwt/login', {
      headers: { 'x-forwarded-for': attacker },
      body: new URLSearchParams({ username: 'owner@example.com', password: 'guess' }),
    });
    expectFastApiThrottled(elsewhere, 60);

    // The owner, from their own address, is not locked out.
    const owner = freshAddress();
    for (const path of ['/api/token/', '/auth/login/']) {
      const res = await t.http.post(
        path,
        { email: 'owner@example.com', password: PASSWORD },
        { headers: { 'x-forwarded-for': owner } },
      );
      expect(res.status).toBe(200);
    }
  });

  describe('counts the account the handler reads, however it is named and whatever decoy fields come with it', () => {
    /** Wrong guesses on the owner's account, each with a fresh decoy e-mail and username. */
    const decoyed = (i: number) => ({ email: `decoy-${i}-${randomInt(1e9)}@example.com` });
    const cases: [
      string,
      'drf' | 'fastapi',
      (i: number, address: string) => Promise<HttpResponse>,
    ][] = [
      [
        "djoser's jwt/create (authenticates `username` first)",
        'drf',
        (i, address) =>
          t.http.post(
            '/accounts/auth/jwt/create/',
            { ...decoyed(i), username: 'owner@example.com', password: `guess-${i}` },
            { headers: { 'x-forwarded-for': address } },
          ),
      ],
      [
        "fastapi-users' /auth/jwt/login (reads only `username`)",
        'fastapi',
        (i, address) =>
          t.http.request('POST', '/auth/jwt/login', {
            headers: { 'x-forwarded-for': address },
            body: new URLSearchParams({
              ...decoyed(i),
              username: 'owner@example.com',
              password: `guess-${i}`,
            }),
          }),
      ],
      [
        'password change (no identifier field: the authenticated user, whichever scheme)',
        'drf',
        (i, address) =>
          t.http.post(
            '/auth/password/change/',
            {
              ...decoyed(i),
              username: `decoy-${i}`,
              old_password: `guess-${i}`,
              new_password1: 'New-Pass-456',
              new_password2: 'New-Pass-456',
            },
            {
              headers: {
                'x-forwarded-for': address,
                authorization: `${i % 2 ? 'JWT' : 'Bearer'} ${access}`,
              },
            },
          ),
      ],
      [
        "dj-rest-auth's login, the one account named by its e-mail and by its username in turn",
        'drf',
        (i, address) =>
          t.http.post(
            '/auth/login/',
            i % 2
              ? { username: 'OWNER', password: `guess-${i}` }
              : { email: 'owner@example.com', password: `guess-${i}` },
            { headers: { 'x-forwarded-for': address } },
          ),
      ],
    ];

    it.each(cases)('%s answers 429 at the documented count', async (_name, dialect, guess) => {
      const address = freshAddress();
      for (let i = 0; i < 3; i++) expect((await guess(i, address)).status).not.toBe(429);
      const refused = await guess(3, address);
      if (dialect === 'drf') expectDrfThrottled(refused, 60);
      else expectFastApiThrottled(refused, 60);
    });
  });

  it('caps the mails to one address across client addresses, and leaves its login alone', async () => {
    const mail = (address: string) =>
      t.http.post(
        '/auth/password/reset/',
        { email: 'owner@example.com' },
        { headers: { 'x-forwarded-for': address } },
      );
    // mail_account=3/hour: three addresses get their mail, the fourth (and any later) a 429...
    for (let i = 0; i < 3; i++) expect((await mail(freshAddress())).status).toBe(200);
    expectDrfThrottled(await mail(freshAddress()), 3600);
    // ...on every mail endpoint, in its dialect (one count per account, not per endpoint).
    const forgot = await t.http.post(
      '/auth/forgot-password',
      { email: 'OWNER@example.com' },
      { headers: { 'x-forwarded-for': freshAddress() } },
    );
    expectFastApiThrottled(forgot, 3600);
    // Another account is not affected, nor is the owner's own login.
    expect((await mail(freshAddress())).status).toBe(429);
    const other = await t.http.post(
      '/auth/password/reset/',
      { email: 'someone-else@example.com' },
      { headers: { 'x-forwarded-for': freshAddress() } },
    );
    expect(other.status).toBe(200);
    const login = await t.http.post(
      '/api/token/',
      { email: 'owner@example.com', password: PASSWORD },
      { headers: { 'x-forwarded-for': freshAddress() } },
    );
    expect(login.status).toBe(200);

    await t.app.get(AuditService).flush();
    const throttled = await t.app
      .get(DataSource)
      .getRepository(AuthEvent)
      .findBy({ type: 'throttled', reason: 'mail' });
    expect(throttled.length).toBeGreaterThanOrEqual(3);
  });

  it('stops spraying many accounts from one address with the per-address rate', async () => {
    const sprayer = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await t.http.post(
        '/api/token/',
        { email: `victim${i}@example.com`, password: 'Password1' },
        { headers: { 'x-forwarded-for': sprayer } },
      );
      statuses.push(res.status);
      if (res.status === 429) expectDrfThrottled(res, 60);
    }
    expect(statuses).toEqual([...Array(8).fill(401), 429]);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const direct = await startTestApp({
      database: t.database,
      env: { DEFAULT_THROTTLE_RATES: 'login=2/minute,login_address=100/minute' },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await direct.http.post(
          '/api/token/',
          { email: 'owner@example.com', password: 'wrong' },
          { headers: { 'x-forwarded-for': freshAddress() } },
        );
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await direct.close();
    }
  });
});

describe('throttling shared by two instances through Redis', () => {
  let redis = false;
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;
  let other: TestApp;
  const prefix = `gh-throttle-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    redis = detectRedis();
    if (!redis) return;
    database = await createTestDatabase();
    const env = {
      TRUST_PROXY: 'true',
      REDIS_URL,
      REDIS_PREFIX: `${prefix}-a`,
      DEFAULT_THROTTLE_RATES: 'login=4/minute,login_address=100/minute',
    };
    first = await startTestApp({ database, env });
    second = await startTestApp({ database, env });
    // Another deployment on the same Redis, under its own REDIS_PREFIX.
    other = await startTestApp({ database, env: { ...env, REDIS_PREFIX: `${prefix}-b` } });
  });
  afterAll(async () => {
    if (!redis) return;
    await first.close();
    await second.close();
    await other.close();
    await database.drop();
  });

  /** Logins with a wrong password, from one fresh client address for one fresh e-mail. */
  const wrongPasswords = (tag: string) => {
    const address = freshAddress();
    const email = `${tag}-${randomInt(1e9)}@example.com`;
    const attempt = (app: TestApp) =>
      app.http.post(
        '/api/token/',
        { email, password: 'wrong' },
        { headers: { 'x-forwarded-for': address } },
      );
    return { address, email, attempt };
  };

  it('counts attempts on either instance against one limit', async () => {
    if (!redis) return;
    const { address, email, attempt } = wrongPasswords('shared');
    expect((await attempt(first)).status).toBe(401);
    expect((await attempt(second)).status).toBe(401);
    expect((await attempt(first)).status).toBe(401);
    expect((await attempt(second)).status).toBe(401);
    expectDrfThrottled(await attempt(first), 60);
    expectDrfThrottled(await attempt(second), 60);
    // The FastAPI surface of the other instance shares the scope's count too.
    const fastapi = await second.http.request('POST', '/auth/jwt/login', {
      headers: { 'x-forwarded-for': address },
      body: new URLSearchParams({ username: email, password: 'wrong' }),
    });
    expectFastApiThrottled(fastapi, 60);
  });

  it('keeps the counts of a deployment with another REDIS_PREFIX apart', async () => {
    if (!redis) return;
    const { attempt } = wrongPasswords('apart');
    for (let i = 0; i < 4; i++) expect((await attempt(first)).status).toBe(401);
    expectDrfThrottled(await attempt(second), 60);
    expect((await attempt(other)).status).toBe(401);
  });
});
