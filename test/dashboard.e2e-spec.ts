import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { UsersService } from '../src/accounts/users.service';
import { DashboardSession } from '../src/token-key/dashboard-session.entity';
import { artifactPath, hasChromium, launchChromium } from './support/browser';
import { cookieValue } from './support/cookies';
import { captureLogs, startTestApp, type TestApp } from './support/test-app';

const EMAIL = 'trader@example.com';
const PASSWORD = 'Zebra-Quartz-71';

async function wrapperKey(t: TestApp): Promise<string> {
  const res = await t.http.post('/auth/login/', { email: EMAIL, password: PASSWORD });
  expect(res.status).toBe(200);
  return res.body.key as string;
}

describe('seed 002 option B — auto-login into the trader dashboard (HTTP)', () => {
  let t: TestApp;
  const { stream: logStream, lines: logs } = captureLogs();

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'info' }, logStream });
    await t.app.get(UsersService).create({ email: EMAIL, password: PASSWORD });
  });
  afterAll(() => t.close());

  it('the hijack URL opens an HttpOnly SameSite=Lax session and redirects the key out of the address bar', async () => {
    const key = await wrapperKey(t);
    const res = await t.http.get(`/auth/hijack/?token=${key}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard/');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const setCookie = res.headers.getSetCookie();
    const session = cookieValue(setCookie, 'sessionid')!;
    expect(setCookie.find((c) => c.startsWith('sessionid='))).toMatch(/; HttpOnly; SameSite=Lax$/);

    const page = await t.http.get('/dashboard/', { headers: { Cookie: `sessionid=${session}` } });
    expect(page.status).toBe(200);
    expect(page.text).toContain(EMAIL);

    const rows = await t.app.get(DataSource).getRepository(DashboardSession).find();
    expect(JSON.stringify(rows)).not.toContain(session);
    await new Promise((r) => setTimeout(r, 50));
    expect(logs.join('')).not.toContain(key);
    expect(logs.join('')).toContain('/auth/hijack/?token=[Redacted]');
  });

  it('refuses an unknown key without a session', async () => {
    const res = await t.http.get(`/auth/hijack/?token=${'0'.repeat(40)}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard/login/?error=link');
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('the login link is single-use', async () => {
    const key = await wrapperKey(t);
    const link = await t.http.post(
      '/auth/login-link/',
      {},
      { headers: { Authorization: `Token ${key}` } },
    );
    expect(link.status).toBe(200);
    expect(link.body.expires_in).toBe(60);
    expect(link.body.url).not.toContain(key);
    const path =
      new URL(link.body.url as string).pathname + new URL(link.body.url as string).search;

    const first = await t.http.get(path);
    expect(first.headers.get('location')).toBe('/dashboard/');
    expect(cookieValue(first.headers.getSetCookie(), 'sessionid')).toBeDefined();
    const second = await t.http.get(path);
    expect(second.headers.get('location')).toBe('/dashboard/login/?error=link');
    expect(second.headers.getSetCookie()).toEqual([]);

    const anonymous = await t.http.post('/auth/login-link/', {});
    expect(anonymous.status).toBe(401);
  });

  it('refuses a cross-site POST to logout without the CSRF token', async () => {
    const key = await wrapperKey(t);
    const session = cookieValue(
      (await t.http.get(`/auth/hijack/?token=${key}`)).headers.getSetCookie(),
      'sessionid',
    )!;
    const form = await t.http.get('/dashboard/', { headers: { Cookie: `sessionid=${session}` } });
    const csrf = cookieValue(form.headers.getSetCookie(), 'csrftoken')!;

    const other = csrf.replace(/^./, csrf.startsWith('a') ? 'b' : 'a');
    for (const [origin, cookie, body, reason] of [
      // Django 4 checks the Origin first: another site's is refused even with the right token.
      [
        'https://evil.example',
        `sessionid=${session}; csrftoken=${csrf}`,
        `csrfmiddlewaretoken=${csrf}`,
        'Origin checking failed - https://evil.example does not match any trusted origins.',
      ],
      [
        'null',
        `sessionid=${session}; csrftoken=${csrf}`,
        `csrfmiddlewaretoken=${csrf}`,
        'Origin checking failed - null does not match any trusted origins.',
      ],
      [t.baseUrl, `sessionid=${session}`, '', 'CSRF cookie not set.'],
      [t.baseUrl, `sessionid=${session}; csrftoken=${csrf}`, '', 'CSRF token missing.'],
      [
        t.baseUrl,
        `sessionid=${session}; csrftoken=${csrf}`,
        `csrfmiddlewaretoken=${other}`,
        'CSRF token from POST incorrect.',
      ],
    ] as const) {
      const forged = await t.http.request('POST', '/dashboard/logout/', {
        headers: {
          Cookie: cookie,
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: origin,
        },
        body,
      });
      expect(forged.status).toBe(403);
      expect(forged.body).toEqual({ detail: `CSRF Failed: ${reason}` });
    }
    expect(
      (await t.http.get('/dashboard/', { headers: { Cookie: `sessionid=${session}` } })).status,
    ).toBe(200);

    const out = await t.http.request('POST', '/dashboard/logout/', {
      headers: {
        Cookie: `sessionid=${session}; csrftoken=${csrf}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: `csrfmiddlewaretoken=${csrf}`,
    });
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe('/dashboard/login/');
    expect(
      (await t.http.get('/dashboard/', { headers: { Cookie: `sessionid=${session}` } })).status,
    ).toBe(302);
  });
});

describe('login links expire', () => {
  it('a ticket older than LOGIN_LINK_LIFETIME is refused', async () => {
    const t = await startTestApp({ env: { LOGIN_LINK_LIFETIME: '1' } });
    try {
      await t.app.get(UsersService).create({ email: EMAIL, password: PASSWORD });
      const key = await wrapperKey(t);
      const link = await t.http.post(
        '/auth/login-link/',
        {},
        { headers: { Authorization: `Token ${key}` } },
      );
      await new Promise((r) => setTimeout(r, 1100));
      const url = new URL(link.body.url as string);
      const res = await t.http.get(url.pathname + url.search);
      expect(res.headers.get('location')).toBe('/dashboard/login/?error=link');
    } finally {
      await t.close();
    }
  });
});

(hasChromium ? describe : describe.skip)('the trader dashboard in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(UsersService).create({ email: EMAIL, password: PASSWORD, firstName: 'Tina' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('hijack link → dashboard without the key in the address bar → logout → login form → wrong then right password', async () => {
    const key = await wrapperKey(t);
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/auth/hijack/?token=${key}`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/');
    expect(page.url()).not.toContain(key);
    expect(await page.textContent('#user-email')).toBe(EMAIL);
    expect(await page.textContent('#trading-info')).toContain('Tina');
    await page.screenshot({ path: artifactPath('dashboard-after-hijack.png'), fullPage: true });

    await page.click('#logout');
    await page.waitForURL('**/dashboard/login/');
    await page.goto(`${t.baseUrl}/dashboard/`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login/');
    await page.screenshot({ path: artifactPath('dashboard-login-form.png'), fullPage: true });

    await page.fill('#email', EMAIL);
    await page.fill('#password', 'not-the-password');
    await page.click('#login');
    expect(await page.textContent('#login-error')).toBe(
      'Unable to log in with provided credentials.',
    );
    await page.screenshot({ path: artifactPath('dashboard-login-error.png'), fullPage: true });

    await page.fill('#password', PASSWORD);
    await page.click('#login');
    await page.waitForURL('**/dashboard/');
    expect(await page.textContent('#user-email')).toBe(EMAIL);
    await page.screenshot({ path: artifactPath('dashboard-after-login.png'), fullPage: true });
    await page.close();
  });
});
