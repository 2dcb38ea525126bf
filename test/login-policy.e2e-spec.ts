import { UsersService } from '../src/accounts/users.service';
import { cookieValue } from './support/cookies';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { type HttpResponse, startTestApp, type TestApp } from './support/test-app';

/**
 * One login policy for the account, whatever the door (issue 27): with either
 * verification setting, an unconfirmed account is refused by every login
 * endpoint, the login link and the dashboard, each in its library's words — and
 * only a right password tells the account is unconfirmed.
 */
const PASSWORD = 'Unconfirmed-Pass-42';
const EMAIL = 'unconfirmed@example.com';
const USERNAME = 'unconfirmed';

const NO_ACTIVE_ACCOUNT = { detail: 'No active account found with the given credentials' };
const REST_AUTH_BAD = { non_field_errors: ['Unable to log in with provided credentials.'] };
const REST_AUTH_UNVERIFIED = { non_field_errors: ['E-mail is not verified.'] };

/** Each login endpoint of the five surfaces, with the body that names the account. */
interface LoginDoor {
  name: string;
  login(t: TestApp, password: string): Promise<HttpResponse>;
  /** Refused with the right password (unconfirmed account), and with a wrong one. */
  unverified: { status: number; body: unknown };
  wrongPassword: { status: number; body: unknown };
}

// SimpleJWT has no word for an unconfirmed address: it answers as for an inactive user.
const SIMPLEJWT_REFUSALS = {
  unverified: { status: 401, body: NO_ACTIVE_ACCOUNT },
  wrongPassword: { status: 401, body: NO_ACTIVE_ACCOUNT },
};
const REST_AUTH_REFUSALS = {
  unverified: { status: 400, body: REST_AUTH_UNVERIFIED },
  wrongPassword: { status: 400, body: REST_AUTH_BAD },
};

const DOORS: LoginDoor[] = [
  {
    name: 'SimpleJWT POST /api/token/',
    login: (t, password) => t.http.post('/api/token/', { email: EMAIL, password }),
    ...SIMPLEJWT_REFUSALS,
  },
  {
    name: 'djoser POST /accounts/auth/jwt/create/',
    login: (t, password) =>
      t.http.post('/accounts/auth/jwt/create/', { username: EMAIL, password }),
    ...SIMPLEJWT_REFUSALS,
  },
  {
    name: 'dj-rest-auth POST /auth/login/ (Token flavour, e-mail)',
    login: (t, password) => t.http.post('/auth/login/', { email: EMAIL, password }),
    ...REST_AUTH_REFUSALS,
  },
  {
    name: 'dj-rest-auth POST /auth/login/ (JWT flavour, username)',
    login: (t, password) => t.http.post('/auth/login/', { username: USERNAME, password }),
    ...REST_AUTH_REFUSALS,
  },
  {
    name: 'fastapi-users POST /auth/jwt/login',
    login: (t, password) =>
      t.http.request('POST', '/auth/jwt/login', {
        body: new URLSearchParams({ username: EMAIL, password }),
      }),
    unverified: { status: 400, body: { detail: 'LOGIN_USER_NOT_VERIFIED' } },
    wrongPassword: { status: 400, body: { detail: 'LOGIN_BAD_CREDENTIALS' } },
  },
];

/** The dashboard's form login: its CSRF cookie first, then the form. */
async function dashboardLogin(t: TestApp, password: string): Promise<HttpResponse> {
  const form = await t.http.get('/dashboard/login/');
  const csrf = cookieValue(form.headers.getSetCookie(), 'csrftoken')!;
  return t.http.request('POST', '/dashboard/login/', {
    headers: {
      Cookie: `csrftoken=${csrf}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ csrfmiddlewaretoken: csrf, email: EMAIL, password }),
  });
}

/** What the account held before verification became required: a Token key, a login link, a session. */
interface Credentials {
  key: string;
  ticketPath: string;
  session: string;
}

/** Under the lax settings (nothing requires a confirmed address) every door lets the account in. */
async function credentialsUnderLaxSettings(lax: TestApp): Promise<Credentials> {
  for (const door of DOORS) {
    const res = await door.login(lax, PASSWORD);
    expect([door.name, res.status]).toEqual([door.name, 200]);
  }
  const dashboard = await dashboardLogin(lax, PASSWORD);
  expect(dashboard.status).toBe(302);
  const key = (await lax.http.post('/auth/login/', { email: EMAIL, password: PASSWORD })).body
    .key as string;
  const link = await lax.http.post(
    '/auth/login-link/',
    {},
    { headers: { Authorization: `Token ${key}` } },
  );
  expect(link.status).toBe(200);
  const url = new URL(link.body.url as string);
  const hijack = await lax.http.get(`/auth/hijack/?token=${key}`);
  expect(hijack.headers.get('location')).toBe('/dashboard/');
  const session = cookieValue(hijack.headers.getSetCookie(), 'sessionid')!;
  return { key, ticketPath: url.pathname + url.search, session };
}

const SETTINGS: [string, Record<string, string>][] = [
  ['EMAIL_VERIFICATION=mandatory', { EMAIL_VERIFICATION: 'mandatory' }],
  [
    'REQUIRE_VERIFIED_LOGIN=true',
    { EMAIL_VERIFICATION: 'optional', REQUIRE_VERIFIED_LOGIN: 'true' },
  ],
];

describe.each(SETTINGS)('an unconfirmed account under %s', (_name, env) => {
  let database: TestDatabase;
  let strict: TestApp;
  let held: Credentials;

  beforeAll(async () => {
    database = await createTestDatabase();
    const lax = await startTestApp({ database, env: { EMAIL_VERIFICATION: 'optional' } });
    try {
      await lax.app.get(UsersService).create({
        email: EMAIL,
        username: USERNAME,
        password: PASSWORD,
        isVerified: false,
      });
      held = await credentialsUnderLaxSettings(lax);
    } finally {
      await lax.close();
    }
    strict = await startTestApp({ database, env });
  });
  afterAll(async () => {
    await strict.close();
    await database.drop();
  });

  it.each(DOORS.map((door) => [door.name, door] as const))(
    '%s refuses it in its own words, and a wrong password as any wrong password',
    async (_door, door) => {
      const right = await door.login(strict, PASSWORD);
      expect({ status: right.status, body: right.body }).toEqual(door.unverified);
      const wrong = await door.login(strict, 'Not-The-Password-1');
      expect({ status: wrong.status, body: wrong.body }).toEqual(door.wrongPassword);
    },
  );

  it("the dashboard's form refuses it with dj-rest-auth's words, and opens no session", async () => {
    const res = await dashboardLogin(strict, PASSWORD);
    expect(res.status).toBe(400);
    expect(res.text).toContain('E-mail is not verified.');
    expect(cookieValue(res.headers.getSetCookie(), 'sessionid')).toBeUndefined();
    const wrong = await dashboardLogin(strict, 'Not-The-Password-1');
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Unable to log in with provided credentials.');
  });

  it('a Token key it already holds gets no login link and no hijack session', async () => {
    const link = await strict.http.post(
      '/auth/login-link/',
      {},
      { headers: { Authorization: `Token ${held.key}` } },
    );
    expect(link.status).toBe(400);
    expect(link.body).toEqual(REST_AUTH_UNVERIFIED);

    const hijack = await strict.http.get(`/auth/hijack/?token=${held.key}`);
    expect(hijack.status).toBe(302);
    expect(hijack.headers.get('location')).toBe('/dashboard/login/?error=link');
    expect(hijack.headers.getSetCookie()).toEqual([]);
  });

  it('a login link or a dashboard session issued before lets it in no more', async () => {
    const redeemed = await strict.http.get(held.ticketPath);
    expect(redeemed.status).toBe(302);
    expect(redeemed.headers.get('location')).toBe('/dashboard/login/?error=link');
    expect(redeemed.headers.getSetCookie()).toEqual([]);

    const page = await strict.http.get('/dashboard/', {
      headers: { Cookie: `sessionid=${held.session}` },
    });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/dashboard/login/');
  });

  it('dj-rest-auth sign-up hands out no tokens before the address is confirmed', async () => {
    const res = await strict.http.post('/auth/registration/', {
      email: 'newcomer@example.com',
      password1: 'Newcomer-Pass-93',
      password2: 'Newcomer-Pass-93',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ detail: 'Verification e-mail sent.' });
  });

  it('once confirmed, the account logs in through every door', async () => {
    const users = strict.app.get(UsersService);
    await users.markVerified((await users.findByEmail(EMAIL))!);
    for (const door of DOORS) {
      const res = await door.login(strict, PASSWORD);
      expect([door.name, res.status]).toEqual([door.name, 200]);
    }
    expect((await dashboardLogin(strict, PASSWORD)).status).toBe(302);
  });
});
