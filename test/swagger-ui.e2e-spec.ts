import type { Browser, Locator, Page, Request } from 'playwright-core';
import { UsersService } from '../src/accounts/users.service';
import { artifactPath, hasChromium, launchChromium } from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';

// Seed 004's request example, so "Try it out" works with the body Swagger UI prefills.
const EMAIL = 'johndoe@example.com';
const PASSWORD = 'example1234';

const SEED_TAGS = [
  'djoser + SimpleJWT',
  'fastapi-users',
  'dj-rest-auth (Token)',
  'dj-rest-auth (JWT)',
  'SimpleJWT views',
];

/** An operation's block in Swagger UI, found under its tag by method and path. */
function operation(page: Page, tag: string, method: string, path: string): Locator {
  return page
    .locator('.opblock-tag-section', { has: page.locator(`h3[data-tag="${tag}"]`) })
    .locator(`.opblock-${method}`, {
      has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
    });
}

/** Expands the operation, "Try it out", "Execute": the status and body Swagger UI shows. */
async function tryItOut(block: Locator): Promise<{ status: string; body: any }> {
  await block.locator('.opblock-summary').click();
  await block.locator('button.try-out__btn').click();
  await block.locator('button.execute').click();
  const live = block.locator('.live-responses-table tr.response');
  await live.waitFor();
  const status = (await live.locator('.response-col_status').innerText()).trim();
  const text = await live.locator('.response-col_description pre').first().innerText();
  return { status, body: JSON.parse(text) };
}

/** Opens the Authorize dialog on the section of one scheme (its heading: "<name> (<type>…)"). */
async function authorizeDialog(page: Page, scheme: string): Promise<Locator> {
  await page.locator('.auth-wrapper button.authorize').click();
  const section = page.locator('.modal-ux .auth-container', {
    has: page.locator('h4', { hasText: new RegExp(`^${scheme}\\s*\\(`) }),
  });
  await section.waitFor();
  return section;
}

/** Applies the dialog's credentials and waits until Swagger UI holds them. */
async function authorize(section: Locator): Promise<void> {
  await section.locator('button.authorize').click();
  await section.locator('button[aria-label="Remove authorization"]').waitFor();
}

(hasChromium ? describe : describe.skip)('Swagger UI in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  /** Every request the page makes to anything but the service itself. */
  let external: string[];
  let sent: Request[];

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(UsersService).create({ email: EMAIL, password: PASSWORD });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  /** A fresh tab on /docs, its requests recorded. */
  async function openDocs(): Promise<Page> {
    const opened = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    opened.on('request', (request) => {
      if (!request.url().startsWith(`${t.baseUrl}/`)) external.push(request.url());
      else sent.push(request);
    });
    await opened.goto(`${t.baseUrl}/docs`);
    await opened.locator('.opblock-tag').first().waitFor();
    return opened;
  }

  beforeEach(async () => {
    external = [];
    sent = [];
    page = await openDocs();
  });
  afterEach(async () => {
    await page.close();
    expect(external).toEqual([]);
  });

  it('shows the five seed tags', async () => {
    const tags = await page
      .locator('h3.opblock-tag')
      .evaluateAll((headings) => headings.map((heading) => heading.getAttribute('data-tag')));
    expect(tags).toEqual([...SEED_TAGS, 'Admin', 'Health']);
    await page.screenshot({ path: artifactPath('swagger-ui-tags.png') });
  });

  it('"Try it out" on POST /api/token/ with the seeded user logs in: 200 with tokens', async () => {
    const obtain = operation(page, 'SimpleJWT views', 'post', '/api/token/');
    const answer = await tryItOut(obtain);
    expect(answer.status).toBe('200');
    expect(Object.keys(answer.body)).toEqual(['refresh', 'access']);
    const request = sent.find((r) => new URL(r.url()).pathname === '/api/token/');
    expect(request?.postDataJSON()).toEqual({ email: EMAIL, password: PASSWORD });
    await obtain.screenshot({ path: artifactPath('swagger-ui-api-token-200.png') });
  });

  it('Authorize with Bearer, then "Try it out" on GET /auth/user/: 200', async () => {
    const { body: tokens } = await tryItOut(
      operation(page, 'SimpleJWT views', 'post', '/api/token/'),
    );
    const bearer = await authorizeDialog(page, 'Bearer');
    await bearer.locator('input#auth-bearer-value').fill(tokens.access as string);
    await authorize(bearer);
    await page.screenshot({ path: artifactPath('swagger-ui-bearer-authorized.png') });
    await page.locator('.modal-ux button.btn-done').first().click();

    const details = operation(page, 'dj-rest-auth (JWT)', 'get', '/auth/user/');
    const answer = await tryItOut(details);
    expect(answer.status).toBe('200');
    expect(answer.body).toMatchObject({ email: EMAIL });
    const request = sent.find((r) => new URL(r.url()).pathname === '/auth/user/');
    expect(request?.headers().authorization).toBe(`Bearer ${tokens.access}`);
    await details.screenshot({ path: artifactPath('swagger-ui-auth-user-200.png') });
  });

  it('one OAuth2 password-flow login authorizes a DRF and a fastapi-users operation: both 200', async () => {
    const oauth2 = await authorizeDialog(page, 'OAuth2PasswordBearer');
    await expect(oauth2.locator('.renderedMarkdown').innerText()).resolves.toMatch(
      /^The quickest:/,
    );
    await oauth2.locator('#oauth_username').fill(EMAIL);
    await oauth2.locator('#oauth_password').fill(PASSWORD);
    const login = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/jwt/login');
    await authorize(oauth2);
    expect((await login).status()).toBe(200);
    await page.screenshot({ path: artifactPath('swagger-ui-oauth2-authorized.png') });
    await page.locator('.modal-ux button.btn-done').first().click();

    const me = operation(page, 'fastapi-users', 'get', '/users/me');
    const answer = await tryItOut(me);
    expect(answer.status).toBe('200');
    expect(answer.body).toMatchObject({ email: EMAIL, is_active: true });
    const request = sent.find((r) => new URL(r.url()).pathname === '/users/me');
    expect(request?.headers().authorization).toMatch(/^Bearer eyJ/);
    await me.screenshot({ path: artifactPath('swagger-ui-users-me-200.png') });

    const djoser = operation(page, 'djoser + SimpleJWT', 'get', '/accounts/auth/users/me/');
    const drf = await tryItOut(djoser);
    expect(drf.status).toBe('200');
    expect(drf.body).toMatchObject({ email: EMAIL });
    const drfRequest = sent.find((r) => new URL(r.url()).pathname === '/accounts/auth/users/me/');
    expect(drfRequest?.headers().authorization).toMatch(/^Bearer eyJ/);
  });

  it('a bare access token authorized under JWT is sent as `JWT <token>`: DRF and fastapi-users 200', async () => {
    const { body: tokens } = await tryItOut(
      operation(page, 'SimpleJWT views', 'post', '/api/token/'),
    );
    const jwt = await authorizeDialog(page, 'JWT');
    await jwt.locator('#api_key_value').fill(tokens.access as string);
    await authorize(jwt);
    await page.locator('.modal-ux button.btn-done').first().click();

    for (const [tag, path] of [
      ['djoser + SimpleJWT', '/accounts/auth/users/me/'],
      ['fastapi-users', '/users/me'],
    ]) {
      const answer = await tryItOut(operation(page, tag, 'get', path));
      expect({ path, status: answer.status }).toEqual({ path, status: '200' });
      expect(answer.body).toMatchObject({ email: EMAIL });
      const request = sent.find((r) => new URL(r.url()).pathname === path);
      expect(request?.headers().authorization).toBe(`JWT ${tokens.access}`);
    }
  });

  it('a bare Token key authorized under Token is sent as `Token <key>`: 200', async () => {
    const { body: login } = await t.http.post('/auth/login/', { email: EMAIL, password: PASSWORD });
    const token = await authorizeDialog(page, 'Token');
    await token.locator('#api_key_value').fill(login.key as string);
    await authorize(token);
    await page.locator('.modal-ux button.btn-done').first().click();
    const answer = await tryItOut(
      operation(page, 'dj-rest-auth (Token)', 'get', '/authentication/user/'),
    );
    expect(answer.status).toBe('200');
    const request = sent.find((r) => new URL(r.url()).pathname === '/authentication/user/');
    expect(request?.headers().authorization).toBe(`Token ${login.key}`);
  });

  it('a Token key typed with its word is sent as it is', async () => {
    const { body: login } = await t.http.post('/auth/login/', { email: EMAIL, password: PASSWORD });
    const again = await authorizeDialog(page, 'Token');
    await again.locator('#api_key_value').fill(`Token ${login.key}`);
    await authorize(again);
    await page.locator('.modal-ux button.btn-done').first().click();
    await tryItOut(operation(page, 'dj-rest-auth (Token)', 'get', '/authentication/user/'));
    const typed = sent.find((r) => new URL(r.url()).pathname === '/authentication/user/');
    expect(typed?.headers().authorization).toBe(`Token ${login.key}`);
  });

  it('lists POST /auth/login/ and POST /auth/registration/ once, each scheme with its hint', async () => {
    for (const path of ['/auth/login/', '/auth/registration/']) {
      const listed = page.locator(`.opblock-post .opblock-summary-path[data-path="${path}"]`);
      expect({ path, count: await listed.count() }).toEqual({ path, count: 1 });
    }
    await page.locator('.auth-wrapper button.authorize').click();
    const hints = await page
      .locator('.modal-ux .auth-container')
      .evaluateAll((sections) =>
        sections.map((section) => [
          section.querySelector('h4')?.textContent?.split('(')[0].trim(),
          section.querySelector('.renderedMarkdown')?.textContent?.trim() ?? '',
        ]),
      );
    expect(hints.map(([name]) => name)).toEqual(['JWT', 'Bearer', 'Token', 'OAuth2PasswordBearer']);
    for (const [name, hint] of hints)
      expect({ name, hint }).toEqual({ name, hint: expect.stringMatching(/.{20,}/) });
  });
});
