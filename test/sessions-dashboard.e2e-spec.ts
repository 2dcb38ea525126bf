import type { Browser } from 'playwright-core';
import { artifactPath, hasChromium, launchChromium } from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';

/** The trader dashboard lists where the user is logged in, with a button to end each. */
(hasChromium ? describe : describe.skip)(
  'sessions on the trader dashboard (headless Chromium)',
  () => {
    let t: TestApp;
    let browser: Browser;

    beforeAll(async () => {
      t = await startTestApp({ env: { REST_AUTH_TOKEN: 'key' } });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('shows every session, marks this browser, and ends another one with its button', async () => {
      const user = await t.createUser();
      const phone = await t.loginAs(user, 'JWT');
      const kyc = await t.loginAs(user, 'Bearer');

      const page = await browser.newPage();
      await page.goto(`${t.baseUrl}/dashboard/login/`);
      await page.fill('#email', user.email);
      await page.fill('#password', user.password);
      await page.click('#login');
      await page.waitForURL('**/dashboard/');

      const rows = page.locator('#sessions tbody tr');
      await expect(rows.count()).resolves.toBe(3);
      // Newest first: this browser's login, then the KYC app, then the phone.
      const current = page.locator('#sessions tr.current');
      await expect(current.count()).resolves.toBe(1);
      expect(await current.textContent()).toContain('this browser');
      expect(await current.textContent()).toContain('dashboard');
      expect(await rows.nth(1).textContent()).toContain('fastapi');
      expect(await rows.nth(2).textContent()).toContain('jwt');
      await page.screenshot({ path: artifactPath('dashboard-sessions.png'), fullPage: true });

      // End the phone: its access token is refused at once, the page lists two.
      expect((await phone.get('/accounts/auth/users/me/')).status).toBe(200);
      await rows.nth(2).locator('button.end-session').click();
      await page.waitForURL('**/dashboard/');
      await expect(page.locator('#sessions tbody tr').count()).resolves.toBe(2);
      await expect(page.locator('#sessions tbody').textContent()).resolves.not.toContain('jwt');
      const deadline = Date.now() + 1000;
      while ((await phone.get('/accounts/auth/users/me/')).status !== 401) {
        if (Date.now() > deadline) throw new Error('the ended session still works after a second');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await kyc.get('/users/me')).status).toBe(200);

      // End this browser's own session: a logout.
      await page.locator('#sessions tr.current button.end-session').click();
      await page.waitForURL('**/dashboard/login/');
      await page.goto(`${t.baseUrl}/dashboard/`);
      expect(new URL(page.url()).pathname).toBe('/dashboard/login/');
      await page.close();
    });

    it('refuses an End without the CSRF token, and ends nothing', async () => {
      const user = await t.createUser();
      const phone = await t.loginAs(user, 'JWT');
      const sessions = await phone.get('/accounts/auth/users/me/sessions/');
      const id = (sessions.body as { results: { id: string }[] }).results[0].id;
      const page = await browser.newPage();
      await page.goto(`${t.baseUrl}/dashboard/login/`);
      await page.fill('#email', user.email);
      await page.fill('#password', user.password);
      await page.click('#login');
      await page.waitForURL('**/dashboard/');
      // A forged form from this browser's cookies: the session rides along, the CSRF token does not.
      const cookies = await page.context().cookies();
      const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const { status } = await t.http.request('POST', `/dashboard/sessions/${id}/end/`, {
        headers: {
          Cookie: cookie,
          Origin: t.baseUrl,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'csrfmiddlewaretoken=forged',
      });
      expect(status).toBe(403);
      expect((await phone.get('/accounts/auth/users/me/')).status).toBe(200);
      await page.close();
    });
  },
);
