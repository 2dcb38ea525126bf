import { UsersService } from '../src/accounts/users.service';
import { startTestApp, type TestApp } from './support/test-app';

/** dj-rest-auth's cookie mode (JWT_AUTH_COOKIE / JWT_AUTH_REFRESH_COOKIE). */
const PASSWORD = 'Zebra-Quartz-71';

/** name → {value, attributes} of every Set-Cookie of a response. */
function setCookies(headers: Headers): Record<string, { value: string; attributes: string[] }> {
  const cookies: Record<string, { value: string; attributes: string[] }> = {};
  for (const line of headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(/;\s*/);
    const index = pair.indexOf('=');
    cookies[pair.slice(0, index)] = {
      value: decodeURIComponent(pair.slice(index + 1)),
      attributes,
    };
  }
  return cookies;
}

const CSRF_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Django's `_mask_cipher_secret`, with a fixed mask. */
function mask(secret: string): string {
  const maskChars = 'Zy9'.repeat(11).slice(0, 32);
  let cipher = '';
  for (let i = 0; i < 32; i++) {
    const sum = CSRF_CHARS.indexOf(secret[i]) + CSRF_CHARS.indexOf(maskChars[i]);
    cipher += CSRF_CHARS[sum % CSRF_CHARS.length];
  }
  return maskChars + cipher;
}

describe('cookie mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { JWT_AUTH_COOKIE: 'jwt-auth', JWT_AUTH_REFRESH_COOKIE: 'jwt-refresh' },
    });
    await t.app
      .get(UsersService)
      .create({ email: 'cookie@example.com', username: 'cookie', password: PASSWORD });
  });
  afterAll(() => t.close());

  const login = async () => {
    const res = await t.http.post('/auth/login/', { username: 'cookie', password: PASSWORD });
    expect(res.status).toBe(200);
    const cookies = setCookies(res.headers);
    return { body: res.body, cookies, csrfHeader: res.headers.get('x-csrftoken') };
  };

  it('login sets HttpOnly, SameSite=Lax token cookies and a CSRF cookie', async () => {
    const { body, cookies, csrfHeader } = await login();
    expect(cookies['jwt-auth'].value).toBe(body.access_token);
    expect(cookies['jwt-refresh'].value).toBe(body.refresh_token);
    for (const name of ['jwt-auth', 'jwt-refresh']) {
      expect(cookies[name].attributes).toEqual(
        expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax']),
      );
      expect(cookies[name].attributes).not.toContain('Secure');
    }
    expect(cookies['jwt-auth'].attributes).toContain('Max-Age=300');
    expect(cookies['jwt-refresh'].attributes).toContain('Max-Age=86400');
    // Django's own CSRF secret: 32 letters and digits; handed out in X-CSRFToken too.
    expect(cookies.csrftoken.value).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(cookies.csrftoken.attributes).toEqual(expect.arrayContaining(['SameSite=Lax']));
    expect(cookies.csrftoken.attributes).not.toContain('HttpOnly');
    expect(csrfHeader).toBe(cookies.csrftoken.value);
  });

  it('the access cookie authenticates; unsafe methods need the CSRF token', async () => {
    const { cookies } = await login();
    const cookie = `jwt-auth=${cookies['jwt-auth'].value}; csrftoken=${cookies.csrftoken.value}`;

    const read = await t.http.get('/auth/user/', { headers: { cookie } });
    expect(read.status).toBe(200);
    expect(read.body.username).toBe('cookie');

    // Django 4's reasons, one per way the token can be wrong.
    const csrf = cookies.csrftoken.value;
    const other = csrf.replace(/^./, csrf.startsWith('a') ? 'b' : 'a');
    for (const [headers, reason] of [
      [{ cookie }, 'CSRF token missing.'],
      [
        { cookie, 'x-csrftoken': 'x'.repeat(43) },
        "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length.",
      ],
      [
        { cookie, 'x-csrftoken': '-'.repeat(32) },
        "CSRF token from the 'X-Csrftoken' HTTP header has invalid characters.",
      ],
      [
        { cookie, 'x-csrftoken': other },
        "CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
      ],
      [
        { cookie: `jwt-auth=${cookies['jwt-auth'].value}`, 'x-csrftoken': csrf },
        'CSRF cookie not set.',
      ],
      [
        { cookie: `jwt-auth=${cookies['jwt-auth'].value}; csrftoken=short`, 'x-csrftoken': csrf },
        'CSRF cookie has incorrect length.',
      ],
    ] as const) {
      const refused = await t.http.request('PATCH', '/auth/user/', {
        headers,
        json: { first_name: 'Cookie' },
      });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ detail: `CSRF Failed: ${reason}` });
    }
    // A masked token (mask + cipher, as Django's forms and Django before 4.0 write it) matches too.
    const masked = mask(csrf);
    expect(masked).toHaveLength(64);
    const maskedOk = await t.http.request('PATCH', '/auth/user/', {
      headers: { cookie, 'x-csrftoken': masked },
      json: { last_name: 'Masked' },
    });
    expect(maskedOk.status).toBe(200);

    const withCsrf = await t.http.request('PATCH', '/auth/user/', {
      headers: { cookie, 'x-csrftoken': cookies.csrftoken.value },
      json: { first_name: 'Cookie' },
    });
    expect(withCsrf.status).toBe(200);
    expect(withCsrf.body.first_name).toBe('Cookie');

    // A header always wins over the cookie, and needs no CSRF token.
    const garbage = await t.http.get('/auth/user/', { headers: { cookie: 'jwt-auth=garbage' } });
    expect(garbage.status).toBe(401);
    expect(garbage.body.code).toBe('token_not_valid');
  });

  it('refresh reads the refresh cookie; logout clears both cookies and blacklists it', async () => {
    const { cookies } = await login();
    const refreshCookie = `jwt-refresh=${cookies['jwt-refresh'].value}`;

    const refreshed = await t.http.post(
      '/auth/token/refresh/',
      {},
      { headers: { cookie: refreshCookie } },
    );
    expect(refreshed.status).toBe(200);
    expect(setCookies(refreshed.headers)['jwt-auth'].value).toBe(refreshed.body.access);

    const none = await t.http.post('/auth/token/refresh/', {});
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ detail: 'No valid refresh token found.', code: 'token_not_valid' });

    // As SimpleJWT's refresh view (no authentication): no CSRF token asked, and the answer hands it out.
    expect(refreshed.headers.get('x-csrftoken')).toMatch(/^[A-Za-z0-9]{32}$/);

    // Logout revokes what the refresh cookie holds: without the token it is refused, and nothing changes.
    const forged = await t.http.post(
      '/auth/logout/',
      {},
      { headers: { cookie: `${refreshCookie}; csrftoken=${cookies.csrftoken.value}` } },
    );
    expect(forged.status).toBe(403);
    expect(forged.body).toEqual({ detail: 'CSRF Failed: CSRF token missing.' });
    expect(forged.headers.getSetCookie()).toEqual([]);
    const stillValid = await t.http.post(
      '/auth/token/refresh/',
      {},
      { headers: { cookie: refreshCookie } },
    );
    expect(stillValid.status).toBe(200);

    const logout = await t.http.post(
      '/auth/logout/',
      {},
      {
        headers: {
          cookie: `${refreshCookie}; csrftoken=${cookies.csrftoken.value}`,
          'x-csrftoken': cookies.csrftoken.value,
        },
      },
    );
    expect(logout.status).toBe(200);
    expect(logout.body).toEqual({ detail: 'Successfully logged out.' });
    const cleared = setCookies(logout.headers);
    expect(cleared['jwt-auth']).toEqual({
      value: '',
      attributes: expect.arrayContaining(['Max-Age=0']),
    });
    expect(cleared['jwt-refresh'].attributes).toContain('Max-Age=0');

    const after = await t.http.post(
      '/auth/token/refresh/',
      {},
      { headers: { cookie: refreshCookie } },
    );
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
  });
});

describe('cookie mode: every unsafe route the access cookie reaches is CSRF-checked', () => {
  const APP_ORIGIN = 'https://app.example.com';
  let t: TestApp;
  let cookies: Record<string, { value: string; attributes: string[] }>;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        JWT_AUTH_COOKIE: 'jwt-auth',
        JWT_AUTH_REFRESH_COOKIE: 'jwt-refresh',
        PUBLIC_URL: 'https://auth.example.com/gatehouse',
        CORS_ALLOWED_ORIGINS: APP_ORIGIN,
        CSRF_TRUSTED_ORIGINS: 'https://*.partner.example',
      },
    });
    await t.app
      .get(UsersService)
      .create({ email: 'routes@example.com', username: 'routes', password: PASSWORD });
    const res = await t.http.post('/auth/login/', { username: 'routes', password: PASSWORD });
    cookies = setCookies(res.headers);
  });
  afterAll(() => t.close());

  const cookieHeader = () =>
    `jwt-auth=${cookies['jwt-auth'].value}; csrftoken=${cookies.csrftoken.value}`;
  const send = (method: string, path: string, headers: Record<string, string>) =>
    t.http.request(method, path, { headers: { cookie: cookieHeader(), ...headers }, json: {} });

  /** SimpleJWT's token views authenticate nobody (`authentication_classes = ()`); FastAPI's open routes read no credentials. */
  const UNAUTHENTICATED = new Set([
    'POST /accounts/auth/jwt/create/',
    'POST /accounts/auth/jwt/refresh/',
    'POST /accounts/auth/jwt/verify/',
    'POST /api/token/',
    'POST /api/token/refresh/',
    'POST /api/token/verify/',
    'POST /auth/token/refresh/',
    'POST /auth/token/verify/',
    'POST /auth/jwt/login',
    'POST /auth/register',
    'POST /auth/forgot-password',
    'POST /auth/reset-password',
    'POST /auth/request-verify-token',
    'POST /auth/verify',
  ]);
  /** fastapi-users' routes answer a refused request as Starlette does. */
  const FASTAPI = new Set([
    'POST /auth/jwt/logout',
    'PATCH /users/me',
    'PATCH /users/{id}',
    'DELETE /users/{id}',
    'DELETE /users/me/sessions',
    'DELETE /users/me/sessions/{id}',
    'POST /users/me/mfa/totp',
    'POST /users/me/mfa/totp/confirm',
    'DELETE /users/me/mfa/totp',
    'POST /users/me/mfa/recovery-codes',
  ]);

  /** Every unsafe operation of the API's own document. */
  async function unsafeOperations(): Promise<string[]> {
    const document = (await t.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    return Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
  }

  it('refuses each one without the token (open views too, logout first of all)', async () => {
    const operations = await unsafeOperations();
    expect(operations).toContain('POST /auth/logout/');
    expect(operations.length).toBeGreaterThan(UNAUTHENTICATED.size + FASTAPI.size);
    for (const operation of operations) {
      const [method, template] = operation.split(' ');
      const res = await send(method, template.replace('{id}', '1'), {});
      const refusedByCsrf =
        res.status === 403 &&
        (FASTAPI.has(operation)
          ? res.body?.detail === 'Forbidden'
          : res.body?.detail === 'CSRF Failed: CSRF token missing.');
      expect({ operation, refusedByCsrf }).toEqual({
        operation,
        refusedByCsrf: !UNAUTHENTICATED.has(operation),
      });
    }
  });

  it('refuses a foreign Origin, and Origin: null, even with the right token', async () => {
    const csrf = cookies.csrftoken.value;
    for (const operation of await unsafeOperations()) {
      if (UNAUTHENTICATED.has(operation) || FASTAPI.has(operation)) continue;
      const [method, template] = operation.split(' ');
      for (const origin of [
        'https://evil.example',
        'null',
        'https://app.example.com.evil.example',
      ]) {
        const res = await send(method, template.replace('{id}', '1'), {
          origin,
          'x-csrftoken': csrf,
        });
        expect({ operation, status: res.status, body: res.body }).toEqual({
          operation,
          status: 403,
          body: {
            detail: `CSRF Failed: Origin checking failed - ${origin} does not match any trusted origins.`,
          },
        });
      }
    }
  });

  it('accepts the public origin, CORS_ALLOWED_ORIGINS, CSRF_TRUSTED_ORIGINS and the origin asked', async () => {
    for (const origin of [
      'https://auth.example.com',
      APP_ORIGIN,
      'https://eu.partner.example',
      'https://partner.example',
      t.baseUrl,
    ]) {
      const res = await send('PATCH', '/auth/user/', {
        origin,
        'x-csrftoken': cookies.csrftoken.value,
      });
      expect({ origin, status: res.status }).toEqual({ origin, status: 200 });
    }
    // A wildcard is for its scheme only, and a trusted host's other ports are other origins.
    for (const origin of ['http://eu.partner.example', 'https://app.example.com:8443']) {
      const res = await send('PATCH', '/auth/user/', {
        origin,
        'x-csrftoken': cookies.csrftoken.value,
      });
      expect({ origin, status: res.status }).toEqual({ origin, status: 403 });
    }
  });

  it('ignores a stale access cookie on the open views, but still wants the token there', async () => {
    const stale = `jwt-auth=not-a-token; csrftoken=${cookies.csrftoken.value}`;
    const noToken = await t.http.post(
      '/auth/login/',
      { username: 'routes', password: PASSWORD },
      { headers: { cookie: stale } },
    );
    expect(noToken.status).toBe(403);
    expect(noToken.body).toEqual({ detail: 'CSRF Failed: CSRF token missing.' });
    const login = await t.http.post(
      '/auth/login/',
      { username: 'routes', password: PASSWORD },
      { headers: { cookie: stale, 'x-csrftoken': cookies.csrftoken.value } },
    );
    expect(login.status).toBe(200);
    const logout = await t.http.post(
      '/auth/logout/',
      {},
      { headers: { cookie: stale, 'x-csrftoken': cookies.csrftoken.value } },
    );
    expect(logout.status).toBe(200);
    expect(setCookies(logout.headers)['jwt-auth'].attributes).toContain('Max-Age=0');
    // Where authentication is required, the stale cookie is what it is: a 401.
    const details = await t.http.get('/auth/user/', { headers: { cookie: stale } });
    expect(details.status).toBe(401);
  });

  it('needs no token with an Authorization header, which no other site can send', async () => {
    const res = await t.http.request('PATCH', '/auth/user/', {
      headers: {
        cookie: cookieHeader(),
        origin: 'https://evil.example',
        authorization: `Bearer ${cookies['jwt-auth'].value}`,
      },
      json: { first_name: 'Header' },
    });
    expect(res.status).toBe(200);
  });
});

describe('cookie mode over HTTPS: without an Origin, the Referer must name a trusted origin', () => {
  let t: TestApp;
  let cookie: string;
  let csrf: string;
  beforeAll(async () => {
    // Behind a TLS-terminating proxy (X-Forwarded-Proto: https), as Django behind SECURE_PROXY_SSL_HEADER.
    t = await startTestApp({
      env: {
        JWT_AUTH_COOKIE: 'jwt-auth',
        TRUST_PROXY: 'true',
        CORS_ALLOWED_ORIGINS: 'https://app.example.com',
      },
    });
    await t.app
      .get(UsersService)
      .create({ email: 'https@example.com', username: 'https', password: PASSWORD });
    const res = await t.http.post('/auth/login/', { username: 'https', password: PASSWORD });
    const cookies = setCookies(res.headers);
    csrf = cookies.csrftoken.value;
    cookie = `jwt-auth=${cookies['jwt-auth'].value}; csrftoken=${csrf}`;
  });
  afterAll(() => t.close());

  it.each([
    [{}, 'Referer checking failed - no Referer.'],
    [{ referer: 'not a url' }, 'Referer checking failed - Referer is malformed.'],
    [
      { referer: 'http://app.example.com/page' },
      'Referer checking failed - Referer is insecure while host is secure.',
    ],
    [
      { referer: 'https://evil.example/page' },
      'Referer checking failed - https://evil.example/page does not match any trusted origins.',
    ],
  ])('refuses %j', async (headers, reason) => {
    const res = await t.http.request('PATCH', '/auth/user/', {
      headers: { cookie, 'x-csrftoken': csrf, 'x-forwarded-proto': 'https', ...headers },
      json: {},
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ detail: `CSRF Failed: ${reason}` });
  });

  it('accepts a trusted Referer, and plain HTTP needs none', async () => {
    const trusted = await t.http.request('PATCH', '/auth/user/', {
      headers: {
        cookie,
        'x-csrftoken': csrf,
        'x-forwarded-proto': 'https',
        referer: 'https://app.example.com/settings',
      },
      json: {},
    });
    expect(trusted.status).toBe(200);
    const plain = await t.http.request('PATCH', '/auth/user/', {
      headers: { cookie, 'x-csrftoken': csrf },
      json: {},
    });
    expect(plain.status).toBe(200);
  });
});

describe('cookie mode: JWT_AUTH_SAMESITE', () => {
  async function loginCookies(env: Record<string, string>) {
    const t = await startTestApp({
      env: { JWT_AUTH_COOKIE: 'jwt-auth', JWT_AUTH_REFRESH_COOKIE: 'jwt-refresh', ...env },
    });
    try {
      await t.app
        .get(UsersService)
        .create({ email: 'samesite@example.com', username: 'samesite', password: PASSWORD });
      const login = await t.http.post('/auth/login/', { username: 'samesite', password: PASSWORD });
      const csrf = setCookies(login.headers).csrftoken.value;
      const logout = await t.http.post(
        '/auth/logout/',
        {},
        {
          headers: {
            cookie: `${login.headers
              .getSetCookie()
              .map((line) => line.split(';')[0])
              .join('; ')}`,
            'x-csrftoken': csrf,
          },
        },
      );
      expect(logout.status).toBe(200);
      return { login: setCookies(login.headers), logout: setCookies(logout.headers) };
    } finally {
      await t.close();
    }
  }

  it('Strict applies to the token cookies and their CSRF cookie', async () => {
    const { login, logout } = await loginCookies({ JWT_AUTH_SAMESITE: 'Strict' });
    for (const name of ['jwt-auth', 'jwt-refresh', 'csrftoken']) {
      expect(login[name].attributes).toContain('SameSite=Strict');
    }
    expect(logout['jwt-auth'].attributes).toContain('SameSite=Strict');
  });

  it('None (any case) with JWT_AUTH_SECURE: SameSite=None; Secure, on setting and on clearing', async () => {
    const { login, logout } = await loginCookies({
      JWT_AUTH_SAMESITE: 'none',
      JWT_AUTH_SECURE: 'true',
    });
    for (const name of ['jwt-auth', 'jwt-refresh', 'csrftoken']) {
      expect(login[name].attributes).toEqual(expect.arrayContaining(['SameSite=None', 'Secure']));
    }
    for (const name of ['jwt-auth', 'jwt-refresh']) {
      expect(logout[name].attributes).toEqual(
        expect.arrayContaining(['Max-Age=0', 'SameSite=None', 'Secure']),
      );
    }
  });
});

describe('cookie mode off (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app
      .get(UsersService)
      .create({ email: 'plain@example.com', username: 'plain', password: PASSWORD });
  });
  afterAll(() => t.close());

  it('sets no cookie and ignores token cookies', async () => {
    const res = await t.http.post('/auth/login/', { username: 'plain', password: PASSWORD });
    expect(res.headers.getSetCookie()).toEqual([]);
    const viaCookie = await t.http.get('/auth/user/', {
      headers: { cookie: `jwt-auth=${res.body.access_token}` },
    });
    expect(viaCookie.status).toBe(401);
    expect(viaCookie.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    const missing = await t.http.post('/auth/token/refresh/', {});
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      detail: 'No valid refresh token found.',
      code: 'token_not_valid',
    });
  });
});
