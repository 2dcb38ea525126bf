import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGatehouseApp } from '../src/app.factory';
import { UsersService } from '../src/accounts/users.service';
import { loadConfig } from '../src/config/load-config';
import { GatehouseModule } from '../src/gatehouse/gatehouse.module';
import { HttpClient, testEnvironment } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const EMAIL = 'trader@example.com';
const PASSWORD = 'Zebra-Quartz-71';

/** The cookies a browser would keep from a Set-Cookie list, as one Cookie header. */
function cookieJar() {
  const jar = new Map<string, string>();
  return {
    take(setCookie: string[]) {
      for (const line of setCookie) {
        const [pair] = line.split(';');
        const at = pair.indexOf('=');
        const value = pair.slice(at + 1);
        if (value === '') jar.delete(pair.slice(0, at));
        else jar.set(pair.slice(0, at), value);
      }
    },
    get: (name: string) => jar.get(name),
    header: () => [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
  };
}

/** The `action` of the page's form, as a browser would post it. */
/** The page's last form: the login form's, or the dashboard's logout (after each session's End). */
const formAction = (html: string) =>
  [...html.matchAll(/<form method="post" action="([^"]+)"/g)].at(-1)?.[1];
/** Every form of the page (the dashboard: one End per session, then logout). */
const formActions = (html: string) =>
  [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);

describe('the dashboard with dj-rest-auth mounted under /v2/', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let http: HttpClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig(testEnvironment(database.url));
    app = await createGatehouseApp(
      GatehouseModule.forRoot({ config, surfaces: { 'rest-auth': { prefix: 'v2' } } }),
      config,
    );
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    http = new HttpClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    await app.get(UsersService).create({ email: EMAIL, password: PASSWORD });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('follows the mount through every page: login form, login, dashboard, logout', async () => {
    const jar = cookieJar();
    const anonymous = await http.get('/v2/dashboard/', { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/v2/dashboard/login/');
    expect((await http.get('/dashboard/login/')).status).toBe(404);

    const form = await http.get('/v2/dashboard/login/');
    expect(form.status).toBe(200);
    jar.take(form.headers.getSetCookie());
    expect(formAction(form.text)).toBe('/v2/dashboard/login/');

    const refused = await http.post(formAction(form.text)!, undefined, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header() },
      body: new URLSearchParams({
        csrfmiddlewaretoken: jar.get('csrftoken')!,
        email: EMAIL,
        password: 'wrong-password',
      }),
    });
    expect(refused.status).toBe(400);
    expect(formAction(refused.text)).toBe('/v2/dashboard/login/');

    const login = await http.post(formAction(form.text)!, undefined, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header() },
      body: new URLSearchParams({
        csrfmiddlewaretoken: jar.get('csrftoken')!,
        email: EMAIL,
        password: PASSWORD,
      }),
      redirect: 'manual',
    });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/v2/dashboard/');
    jar.take(login.headers.getSetCookie());

    const page = await http.get(login.headers.get('location')!, {
      headers: { Cookie: jar.header() },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain(EMAIL);
    expect(formAction(page.text)).toBe('/v2/dashboard/logout/');
    // Each session's End button follows the mount too, and the MFA enrolment form.
    expect(formActions(page.text).slice(0, -1)).toEqual([
      expect.stringMatching(/^\/v2\/dashboard\/sessions\/[0-9a-f-]{36}\/end\/$/),
      '/v2/dashboard/mfa/totp/',
    ]);
    jar.take(page.headers.getSetCookie());

    const logout = await http.post(formAction(page.text)!, undefined, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header() },
      body: new URLSearchParams({ csrfmiddlewaretoken: jar.get('csrftoken')! }),
      redirect: 'manual',
    });
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe('/v2/dashboard/login/');
    jar.take(logout.headers.getSetCookie());
    const after = await http.get('/v2/dashboard/', {
      headers: { Cookie: jar.header() },
      redirect: 'manual',
    });
    expect(after.headers.get('location')).toBe('/v2/dashboard/login/');
  });

  it('the hijack URL and the login link land on the mounted dashboard', async () => {
    const key = (await http.post('/v2/auth/login/', { email: EMAIL, password: PASSWORD })).body
      .key as string;
    const hijack = await http.get(`/v2/auth/hijack/?token=${key}`, { redirect: 'manual' });
    expect(hijack.status).toBe(302);
    expect(hijack.headers.get('location')).toBe('/v2/dashboard/');
    const unknown = await http.get(`/v2/auth/hijack/?token=${'0'.repeat(40)}`, {
      redirect: 'manual',
    });
    expect(unknown.headers.get('location')).toBe('/v2/dashboard/login/?error=link');

    const link = await http.post('/v2/auth/login-link/', undefined, {
      headers: { Authorization: `Token ${key}` },
    });
    expect(link.status).toBe(200);
    const url = new URL(link.body.url as string);
    expect(url.pathname).toBe('/v2/auth/login-link/');
    const redeemed = await http.get(`${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(redeemed.status).toBe(302);
    expect(redeemed.headers.get('location')).toBe('/v2/dashboard/');
    const used = await http.get(`${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(used.headers.get('location')).toBe('/v2/dashboard/login/?error=link');
  });
});
