import type { Browser } from 'playwright-core';
import { UsersService } from '../src/accounts/users.service';
import { hasChromium, launchChromium, startPageServer } from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';

const EMAIL = 'browser@example.com';
const PASSWORD = 'Browser-Pass-123';

describe('security headers and no-store', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(UsersService).create({ email: EMAIL, password: PASSWORD, isVerified: true });
  });
  afterAll(() => t.close());

  it.each(['/docs', '/api/token/', '/no/such/path/', '/users/me', '/dashboard/login/'])(
    'sends helmet’s headers on %s, and no HSTS outside production',
    async (path) => {
      const res = await t.http.get(path);
      // The dashboard's pages send a stricter policy of their own (no script at all).
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toMatch(/default-src '(self|none)'/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toMatch(/^(same-origin|no-referrer)$/);
      expect(res.headers.get('strict-transport-security')).toBeNull();
    },
  );

  it('sends an API answer the API set (OWASP REST) and a page all of helmet’s', async () => {
    const api = await t.http.get('/users/me');
    expect(api.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    for (const documentOnly of ['x-xss-protection', 'x-dns-prefetch-control', 'x-download-options'])
      expect(api.headers.get(documentOnly)).toBeNull();

    const page = await t.http.get('/docs');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-xss-protection')).toBe('0');
    expect(page.headers.get('x-dns-prefetch-control')).toBe('off');
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it.each([
    ['/api/token/', { email: EMAIL, password: PASSWORD }],
    ['/accounts/auth/jwt/create/', { username: EMAIL, password: PASSWORD }],
    ['/auth/login/', { email: EMAIL, password: PASSWORD }],
  ])(
    'answers %s (tokens) with Cache-Control: no-store and Pragma: no-cache',
    async (path, body) => {
      const res = await t.http.post(path, body);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('pragma')).toBe('no-cache');
    },
  );

  it('answers the fastapi-users login (a token) with no-store, and answers without one without it', async () => {
    const login = await t.http.request('POST', '/auth/jwt/login', {
      body: new URLSearchParams({ username: EMAIL, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const failed = await t.http.post('/api/token/', { email: EMAIL, password: 'wrong' });
    expect(failed.headers.get('cache-control')).toBeNull();
  });

  it('sends HSTS in production', async () => {
    const production = await startTestApp({
      database: t.database,
      env: { NODE_ENV: 'production', MAIL_LOG_IN_PRODUCTION: 'true' },
    });
    try {
      const res = await production.http.get('/api/token/');
      expect(res.headers.get('strict-transport-security')).toBe(
        'max-age=31536000; includeSubDomains',
      );
    } finally {
      await production.close();
    }
  });

  it('answers no preflight and no Access-Control-Allow-Origin without CORS_ALLOWED_ORIGINS', async () => {
    const res = await t.http.request('OPTIONS', '/api/token/', {
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

(hasChromium ? describe : describe.skip)('CORS from a page on another origin, in Chromium', () => {
  let pages: Awaited<ReturnType<typeof startPageServer>>;
  let pagePort: number;
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    pages = await startPageServer();
    pagePort = pages.port;
    t = await startTestApp({
      env: {
        CORS_ALLOWED_ORIGINS: `http://127.0.0.1:${pagePort}`,
        JWT_AUTH_COOKIE: 'jwt-auth',
        REST_AUTH_TOKEN: 'jwt',
      },
    });
    await t.app.get(UsersService).create({ email: EMAIL, password: PASSWORD, isVerified: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    await pages.close();
  });

  /** Runs fetch() calls in a page of `origin`; answers what the page could read. */
  async function fromPage(origin: string, api: string) {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ({ api, email, password }) => {
          const read = async (promise: Promise<Response>) => {
            try {
              const response = await promise;
              return { status: response.status, body: (await response.json()) as unknown };
            } catch (error) {
              return { error: String(error) };
            }
          };
          const login = await read(
            fetch(`${api}/auth/login/`, {
              method: 'POST',
              credentials: 'include',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ email, password }),
            }),
          );
          // The cookie mode: the access cookie set by the login authenticates the next call.
          const user = await read(fetch(`${api}/auth/user/`, { credentials: 'include' }));
          return { login, user };
        },
        { api, email: EMAIL, password: PASSWORD },
      );
    } finally {
      await page.close();
    }
  }

  it('lets an allowed origin log in with credentials (preflight, then the cookie)', async () => {
    const { login, user } = await fromPage(`http://127.0.0.1:${pagePort}`, t.baseUrl);
    expect(login).toMatchObject({ status: 200 });
    expect(user).toMatchObject({ status: 200, body: { email: EMAIL } });
  });

  it('keeps another origin out: the browser cannot read the answers', async () => {
    const { login, user } = await fromPage(`http://localhost:${pagePort}`, t.baseUrl);
    expect(login).toEqual({ error: expect.stringContaining('Failed to fetch') });
    expect(user).toEqual({ error: expect.stringContaining('Failed to fetch') });
  });

  it('answers the preflight on every route with the allowed origin and credentials', async () => {
    for (const path of ['/api/token/', '/auth/jwt/login', '/users/me', '/auth/user/']) {
      const res = await t.http.request('OPTIONS', path, {
        headers: {
          origin: `http://127.0.0.1:${pagePort}`,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(`http://127.0.0.1:${pagePort}`);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    }
  });
});
