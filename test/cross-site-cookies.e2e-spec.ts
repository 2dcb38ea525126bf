import { UsersService } from '../src/accounts/users.service';
import type { BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromiumProfile, startPageServer } from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * dj-rest-auth's cookie mode for a frontend on another site, in real Chromium:
 * the page is served from http://localhost:<port>, the API from
 * http://127.0.0.1:<port> — two sites, so only SameSite=None (+ Secure) cookies
 * travel with the page's fetch() calls. Chromium takes http://127.0.0.1 as a
 * secure context, so it stores the Secure cookies it sets. Each session is a
 * fresh profile with a normal window's default (third-party cookies allowed).
 */
const EMAIL = 'cross-site@example.com';
const PASSWORD = 'Cross-Site-Pass-9';

/** What the page could read of each call, in order. */
interface Call {
  status?: number;
  body?: unknown;
  csrf?: string | null;
  error?: string;
}

(hasChromium ? describe : describe.skip)(
  'cookie mode from a page on another site, in Chromium',
  () => {
    let pages: Awaited<ReturnType<typeof startPageServer>>;
    let pageOrigin: string;
    /** The same page server under another origin, which the API does not trust. */
    let foreignOrigin: string;

    beforeAll(async () => {
      pages = await startPageServer();
      const port = pages.port;
      pageOrigin = `http://localhost:${port}`;
      foreignOrigin = `http://127.0.0.1:${port}`;
    });
    afterAll(() => pages.close());

    async function cookieApp(env: Record<string, string>): Promise<TestApp> {
      const t = await startTestApp({
        env: {
          CORS_ALLOWED_ORIGINS: pageOrigin,
          JWT_AUTH_COOKIE: 'jwt-auth',
          JWT_AUTH_REFRESH_COOKIE: 'jwt-refresh',
          REST_AUTH_TOKEN: 'jwt',
          ...env,
        },
      });
      await t.app.get(UsersService).create({ email: EMAIL, password: PASSWORD, isVerified: true });
      return t;
    }

    /**
     * One fetch() from the page, with credentials; `csrf` echoes the CSRF token an
     * earlier answer handed out in `X-CSRFToken` (the page cannot read the cookie).
     */
    function call(page: Page, url: string, options: { method?: string; csrf?: boolean } = {}) {
      return page.evaluate(
        async ({ url, method, csrf }): Promise<Call> => {
          const state = window as unknown as { csrf?: string };
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (csrf && state.csrf) headers['X-CSRFToken'] = state.csrf;
          try {
            const response = await fetch(url, {
              method,
              credentials: 'include',
              ...(method === 'GET' ? {} : { headers, body: '{}' }),
            });
            const token = response.headers.get('x-csrftoken');
            if (token) state.csrf = token;
            return {
              status: response.status,
              body: (await response.json()) as unknown,
              csrf: token,
            };
          } catch (error) {
            return { error: String(error) };
          }
        },
        { url, method: options.method ?? 'GET', csrf: options.csrf ?? false },
      );
    }

    /**
     * A fresh browser on the frontend's page: login, who-am-I, refresh, who-am-I;
     * a form another origin posts to logout; logout without, then with the CSRF
     * token; who-am-I; and the cookies the browser then holds for the API.
     */
    async function session(api: string) {
      const { context, close } = await launchChromiumProfile();
      try {
        const page = await context.newPage();
        await page.goto(`${pageOrigin}/`);
        const login = await page.evaluate(
          async ({ url, email, password }): Promise<Call> => {
            const response = await fetch(url, {
              method: 'POST',
              credentials: 'include',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ email, password }),
            });
            const token = response.headers.get('x-csrftoken');
            if (token) (window as unknown as { csrf?: string }).csrf = token;
            return {
              status: response.status,
              body: (await response.json()) as unknown,
              csrf: token,
            };
          },
          { url: `${api}/auth/login/`, email: EMAIL, password: PASSWORD },
        );
        const user = await call(page, `${api}/auth/user/`);
        const refresh = await call(page, `${api}/auth/token/refresh/`, { method: 'POST' });
        const userAgain = await call(page, `${api}/auth/user/`);
        const forged = await forgedLogout(context, api);
        const stillIn = await call(page, `${api}/auth/user/`);
        const logoutNoCsrf = await call(page, `${api}/auth/logout/`, { method: 'POST' });
        const logout = await call(page, `${api}/auth/logout/`, { method: 'POST', csrf: true });
        const after = await call(page, `${api}/auth/user/`);
        return {
          calls: { login, user, refresh, userAgain, forged, stillIn, logoutNoCsrf, logout, after },
          cookies: await context.cookies(api),
        };
      } finally {
        await close();
      }
    }

    /**
     * What a page of an origin the API does not trust gets when its form posts to
     * logout (the browser sends the cookies; the page could not read the answer).
     */
    async function forgedLogout(context: BrowserContext, api: string): Promise<Call> {
      const page = await context.newPage();
      try {
        await page.goto(`${foreignOrigin}/`);
        const answer = page.waitForResponse(`${api}/auth/logout/`);
        await page.evaluate((action) => {
          const form = document.createElement('form');
          form.method = 'POST';
          form.action = action;
          document.body.append(form);
          form.submit();
        }, `${api}/auth/logout/`);
        const response = await answer;
        return { status: response.status(), body: JSON.parse(await response.text()) as unknown };
      } finally {
        await page.close();
      }
    }

    it('SameSite=Lax (the default): the login answers, but its cookies never come back', async () => {
      const t = await cookieApp({});
      try {
        const { calls, cookies } = await session(t.baseUrl);
        const { login, user } = calls;
        expect(login).toMatchObject({ status: 200, body: { user: { email: EMAIL } } });
        expect(user).toEqual({
          status: 401,
          body: { detail: 'Authentication credentials were not provided.' },
          csrf: null,
        });
        // Chromium refused to store them: a cross-site answer may not set a SameSite=Lax cookie.
        expect(cookies).toEqual([]);
      } finally {
        await t.close();
      }
    });

    it('SameSite=None + Secure: login, an authenticated call, refresh and logout work', async () => {
      const t = await cookieApp({ JWT_AUTH_SAMESITE: 'None', JWT_AUTH_SECURE: 'true' });
      try {
        const { calls, cookies } = await session(t.baseUrl);
        const { login, user, refresh, userAgain, forged, stillIn, logoutNoCsrf, logout, after } =
          calls;
        expect(login).toMatchObject({ status: 200, body: { user: { email: EMAIL } } });
        expect(login.csrf).toMatch(/^[A-Za-z0-9]{32}$/);
        expect(user).toMatchObject({ status: 200, body: { email: EMAIL } });
        expect(refresh).toMatchObject({ status: 200, body: { access: expect.any(String) } });
        expect(refresh.csrf).toBe(login.csrf);
        expect(userAgain).toMatchObject({ status: 200, body: { email: EMAIL } });
        // The foreign form's POST carried the cookies, but its Origin did not pass.
        expect(forged).toEqual({
          status: 403,
          body: {
            detail: `CSRF Failed: Origin checking failed - ${foreignOrigin} does not match any trusted origins.`,
          },
        });
        expect(stillIn).toMatchObject({ status: 200, body: { email: EMAIL } });
        expect(logoutNoCsrf).toMatchObject({
          status: 403,
          body: { detail: 'CSRF Failed: CSRF token missing.' },
        });
        expect(logout).toMatchObject({ status: 200, body: { detail: 'Successfully logged out.' } });
        expect(after).toMatchObject({
          status: 401,
          body: { detail: 'Authentication credentials were not provided.' },
        });
        // Logout expired the JWT cookies; the CSRF cookie stays, as Django's does.
        expect(cookies.map((cookie) => cookie.name)).toEqual(['csrftoken']);
        expect(cookies[0]).toMatchObject({ sameSite: 'None', secure: true });
      } finally {
        await t.close();
      }
    });
  },
);
