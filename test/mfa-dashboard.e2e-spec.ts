import type { Browser, Page } from 'playwright-core';
import { TokenKeyService } from '../src/token-key/token-key.service';
import { artifactPath, hasChromium, launchChromium } from './support/browser';
import { GENEROUS_THROTTLE_RATES, startTestApp, type TestApp } from './support/test-app';
import { totpCode, totpStep } from './support/totp';

/**
 * The trader dashboard with multi-factor login, in headless Chromium: enrolment
 * (the QR code, a first code, the recovery codes shown once), then the login form's
 * second step, and the login link's.
 */
(hasChromium ? describe : describe.skip)('multi-factor login on the dashboard (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        DEFAULT_THROTTLE_RATES: `${GENEROUS_THROTTLE_RATES},mfa_code=100000/minute,mfa_code_address=100000/minute`,
      },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function logIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${t.baseUrl}/dashboard/login/`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('#login');
  }

  it('enrols with the QR code, then asks the login form for a code', async () => {
    const user = await t.createUser();
    const page = await browser.newPage();
    await logIn(page, user.email, user.password);
    await page.waitForURL('**/dashboard/');
    expect(await page.textContent('#mfa-status')).toContain('Off');

    await page.click('#mfa-enrol');
    await expect(page.locator('#mfa-qr svg').count()).resolves.toBe(1);
    const secret = (await page.textContent('#mfa-secret'))!.trim();
    await page.screenshot({ path: artifactPath('dashboard-mfa-enrol.png'), fullPage: true });
    await page.fill('#code', '000000' === totpCode(secret) ? '111111' : '000000');
    await page.click('#mfa-confirm');
    expect(await page.textContent('#mfa-error')).toContain('Invalid code');
    // A wrong code shows a new secret: the pending one never twice.
    const renewed = (await page.textContent('#mfa-secret'))!.trim();
    expect(renewed).not.toBe(secret);
    await page.fill('#code', totpCode(renewed));
    await page.click('#mfa-confirm');
    const codes = (await page.locator('#recovery-codes li').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    await page.click('#mfa-done');
    await page.waitForURL('**/dashboard/');
    expect(await page.textContent('#mfa-status')).toContain('10 recovery codes left');
    await page.click('#logout');
    await page.waitForURL('**/dashboard/login/');

    // The password alone now leads to the code form; a wrong code keeps it.
    await logIn(page, user.email, user.password);
    await expect(page.locator('#code').count()).resolves.toBe(1);
    await page.fill('#code', '00000a');
    await page.click('#verify');
    expect(await page.textContent('#login-error')).toBe('Invalid multi-factor code.');
    await page.fill('#code', totpCode(renewed, totpStep() + 1));
    await page.click('#verify');
    await page.waitForURL('**/dashboard/');
    expect(await page.textContent('#user-email')).toBe(user.email);
    expect(await page.textContent('#sessions tr.current')).toContain('two-factor: pwd+otp');
    await page.screenshot({ path: artifactPath('dashboard-mfa-login.png'), fullPage: true });
    await page.click('#logout');

    // A login link is a first factor too: the code form follows it; a recovery code opens it.
    const { key } = await t.app.get(TokenKeyService).mint(user.user, { via: 'login' });
    const link = await t.http.post(
      '/auth/login-link/',
      {},
      {
        headers: { authorization: `Token ${key}` },
      },
    );
    expect(link.status).toBe(200);
    const url = new URL(link.body.url as string);
    await page.goto(`${t.baseUrl}${url.pathname}${url.search}`);
    await expect(page.locator('#code').count()).resolves.toBe(1);
    await page.fill('#code', codes[0]);
    await page.click('#verify');
    await page.waitForURL('**/dashboard/');
    const linked = await page.textContent('#sessions tr.current');
    expect(linked).toContain('login_link');
    expect(linked).toContain('two-factor: mfa+otp');
    expect(await page.textContent('#mfa-status')).toContain('9 recovery codes left');
    await page.close();
  });

  it('leaves the login of a user without MFA as it was', async () => {
    const user = await t.createUser();
    const page = await browser.newPage();
    await logIn(page, user.email, user.password);
    await page.waitForURL('**/dashboard/');
    expect(await page.textContent('#sessions tr.current')).not.toContain('two-factor');
    await page.close();
  });
});
