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
    return { body: res.body, cookies };
  };

  it('login sets HttpOnly, SameSite=Lax token cookies and a CSRF cookie', async () => {
    const { body, cookies } = await login();
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
    expect(cookies.csrftoken.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookies.csrftoken.attributes).not.toContain('HttpOnly');
  });

  it('the access cookie authenticates; unsafe methods need the CSRF token', async () => {
    const { cookies } = await login();
    const cookie = `jwt-auth=${cookies['jwt-auth'].value}; csrftoken=${cookies.csrftoken.value}`;

    const read = await t.http.get('/auth/user/', { headers: { cookie } });
    expect(read.status).toBe(200);
    expect(read.body.username).toBe('cookie');

    const noCsrf = await t.http.request('PATCH', '/auth/user/', {
      headers: { cookie },
      json: { first_name: 'Cookie' },
    });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body).toEqual({ detail: 'CSRF Failed: CSRF token missing or incorrect.' });
    const wrongCsrf = await t.http.request('PATCH', '/auth/user/', {
      headers: { cookie, 'x-csrftoken': 'x'.repeat(43) },
      json: { first_name: 'Cookie' },
    });
    expect(wrongCsrf.status).toBe(403);

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

    const logout = await t.http.post('/auth/logout/', {}, { headers: { cookie: refreshCookie } });
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
