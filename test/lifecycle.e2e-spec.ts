import { jest } from '@jest/globals';
import type { User } from '../src/accounts/user.entity';
import { PASSWORD_HASHERS, type PasswordHasher } from '../src/accounts/hashers/password-hasher';
import { UsersService } from '../src/accounts/users.service';
import { UsersAdminService } from '../src/surfaces/admin/users-admin.service';
import { FastapiUsersTokensService } from '../src/jwt-auth/fastapi-users-tokens.service';
import { MailService } from '../src/mail/mail.service';
import { PasswordResetTokenGenerator } from '../src/password/reset-tokens/reset-token-generator';
import { DashboardService } from '../src/token-key/dashboard.service';
import { Mailbox } from './support/mailbox';
import { type HttpResponse, startTestApp, type TestApp } from './support/test-app';

/** One-time secrets stay single-use under concurrency; a new password ends sessions. */
const PASSWORD = 'Lifecycle-Pass-1';
const TIMES = 20;

function statuses(answers: HttpResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('one-time secrets and sessions over a lifecycle', () => {
  let mailbox: Mailbox;
  let t: TestApp;
  let users: UsersService;
  let n = 0;

  async function newUser(verified = true): Promise<User> {
    n++;
    return users.create({
      email: `life${n}@example.com`,
      password: PASSWORD,
      isVerified: verified,
    });
  }

  beforeAll(async () => {
    mailbox = await Mailbox.start();
    t = await startTestApp({
      env: { SMTP_URL: mailbox.url, FRONTEND_URL: 'https://app.example.test' },
    });
    users = t.app.get(UsersService);
  });
  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  it(`lets one of ${TIMES} simultaneous uses of a dj-rest-auth reset link through`, async () => {
    const user = await newUser();
    const uid = user.id.toString(36);
    const token = t.app.get(PasswordResetTokenGenerator).make(user);
    const answers = await Promise.all(
      Array.from({ length: TIMES }, (_, i) =>
        t.http.post('/auth/password/reset/confirm/', {
          uid,
          token,
          new_password1: `Brand-New-Pass-${i}`,
          new_password2: `Brand-New-Pass-${i}`,
        }),
      ),
    );
    expect(statuses(answers)).toEqual({ 200: 1, 400: TIMES - 1 });
    for (const refused of answers.filter((answer) => answer.status === 400)) {
      expect(refused.body).toEqual({ token: ['Invalid value'] });
    }
    await t.app.get(MailService).idle();
  });

  it(`lets one of ${TIMES} simultaneous uses of a fastapi-users reset token through`, async () => {
    const user = await newUser();
    const token = await t.app.get(FastapiUsersTokensService).resetPasswordToken(user);
    const answers = await Promise.all(
      Array.from({ length: TIMES }, (_, i) =>
        t.http.post('/auth/reset-password', { token, password: `Brand-New-Pass-${i}` }),
      ),
    );
    expect(statuses(answers)).toEqual({ 200: 1, 400: TIMES - 1 });
    for (const refused of answers.filter((answer) => answer.status === 400)) {
      expect(refused.body).toEqual({ detail: 'RESET_PASSWORD_BAD_TOKEN' });
    }
    await t.app.get(MailService).idle();
  });

  it(`lets one of ${TIMES} simultaneous uses of an allauth verification link through`, async () => {
    const registered = await t.http.post('/auth/registration/', {
      email: 'verify-once@example.com',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(registered.status).toBe(201);
    const mail = await mailbox.waitFor('verify-once@example.com');
    const key = decodeURIComponent(/\/verify-email\/([^/\s]+)\/?/.exec(mail.text)![1]);
    const answers = await Promise.all(
      Array.from({ length: TIMES }, () => t.http.post('/auth/registration/verify-email/', { key })),
    );
    expect(statuses(answers)).toEqual({ 200: 1, 404: TIMES - 1 });
  });

  it(`lets one of ${TIMES} simultaneous uses of a fastapi-users verification token through`, async () => {
    const user = await newUser(false);
    const token = await t.app.get(FastapiUsersTokensService).verificationToken(user);
    const answers = await Promise.all(
      Array.from({ length: TIMES }, () => t.http.post('/auth/verify', { token })),
    );
    expect(statuses(answers)).toEqual({ 200: 1, 400: TIMES - 1 });
  });

  it(`lets one of ${TIMES} simultaneous uses of a login-link ticket open a session`, async () => {
    const user = await newUser();
    const ticket = await t.app.get(DashboardService).issueTicket(user);
    const answers = await Promise.all(
      Array.from({ length: TIMES }, () =>
        t.http.get(`/auth/login-link/?ticket=${encodeURIComponent(ticket)}`),
      ),
    );
    const opened = answers.filter((answer) =>
      /sessionid=/.test(answer.headers.get('set-cookie') ?? ''),
    );
    expect(opened).toHaveLength(1);
  });

  it.each([
    ['a password change', 'change'],
    ['a password reset', 'reset'],
  ])('ends the dashboard sessions opened before %s', async (_label, via) => {
    const user = await newUser();
    const dashboard = t.app.get(DashboardService);
    const session = await dashboard.openSession(user);
    expect(await dashboard.sessionUser(session)).not.toBeNull();
    if (via === 'change') {
      const login = await t.http.post('/api/token/', { email: user.email, password: PASSWORD });
      const changed = await t.http.post(
        '/auth/password/change/',
        {
          old_password: PASSWORD,
          new_password1: 'Changed-Pass-77',
          new_password2: 'Changed-Pass-77',
        },
        { headers: { authorization: `Bearer ${login.body.access}` } },
      );
      expect(changed.status).toBe(200);
    } else {
      const token = await t.app.get(FastapiUsersTokensService).resetPasswordToken(user);
      const reset = await t.http.post('/auth/reset-password', {
        token,
        password: 'Changed-Pass-77',
      });
      expect(reset.status).toBe(200);
    }
    expect(await dashboard.sessionUser(session)).toBeNull();
    await t.app.get(MailService).idle();
  });

  it('ends everything on deactivation: access, refresh, Token key and dashboard session', async () => {
    const user = await newUser();
    const login = await t.http.post('/auth/login/', { email: user.email, password: PASSWORD });
    expect(login.status).toBe(200);
    const session = await t.app.get(DashboardService).openSession(user);
    const staff = await users.create({ email: 'deactivating-staff@example.com', isStaff: true });
    await t.app.get(UsersAdminService).deactivate(staff, String(user.id));

    const me = await t.http.get('/auth/user/', {
      headers: { authorization: `Bearer ${login.body.access_token}` },
    });
    expect(me.status).toBe(401);
    const refreshed = await t.http.post('/api/token/refresh/', {
      refresh: login.body.refresh_token,
    });
    expect(refreshed.status).toBe(401);
    const keyed = await t.http.get('/auth/user/', {
      headers: { authorization: `Token ${login.body.key}` },
    });
    expect(keyed.status).toBe(401);
    expect(await t.app.get(DashboardService).sessionUser(session)).toBeNull();
  });

  it('answers a 100,000-character password on every login endpoint as a wrong password, never hashing it', async () => {
    const user = await newUser();
    const long = 'p'.repeat(100_000);
    // Spies that call through: every password the hashers are given.
    const spies = t.app
      .get<PasswordHasher[]>(PASSWORD_HASHERS)
      .map((hasher) => jest.spyOn(hasher, 'verify'));
    const hashed: number[] = [];
    const noAccount = { detail: 'No active account found with the given credentials' };
    const unable = { non_field_errors: ['Unable to log in with provided credentials.'] };
    try {
      for (const email of [user.email, 'nobody@example.com']) {
        const cases: [string, Record<string, string>, number, unknown][] = [
          ['/api/token/', { email, password: long }, 401, noAccount],
          ['/accounts/auth/jwt/create/', { username: email, password: long }, 401, noAccount],
          ['/auth/login/', { email, password: long }, 400, unable],
          ['/auth/login/', { username: user.username, password: long }, 400, unable],
        ];
        for (const [path, body, status, answer] of cases) {
          const res = await t.http.post(path, body);
          expect([path, res.status, res.body]).toEqual([path, status, answer]);
        }
        const form = await t.http.request('POST', '/auth/jwt/login', {
          body: new URLSearchParams({ username: email, password: long }),
        });
        expect(form.status).toBe(400);
        expect(form.body).toEqual({ detail: 'LOGIN_BAD_CREDENTIALS' });
      }
    } finally {
      hashed.push(...spies.flatMap((spy) => spy.mock.calls.map(([password]) => password.length)));
      jest.restoreAllMocks();
    }
    // The same verification work as any wrong password, on a stand-in.
    expect(hashed.length).toBeGreaterThan(0);
    expect(hashed.filter((length) => length > 4096)).toEqual([]);
  });

  it('refuses a password past 4096 characters as a field error where a password is set', async () => {
    const long = 'p'.repeat(4097);
    const drf = 'Ensure this field has no more than 4096 characters.';
    const created = await t.http.post('/auth/registration/', {
      email: 'long@example.com',
      password1: long,
      password2: long,
    });
    expect(created.status).toBe(400);
    expect(created.body.password1).toEqual([drf]);
    const registered = await t.http.post('/auth/register', {
      email: 'long@example.com',
      password: long,
    });
    expect(registered.status).toBe(422);
    expect(registered.body.detail[0]).toMatchObject({
      type: 'string_too_long',
      loc: ['body', 'password'],
      msg: 'String should have at most 4096 characters',
    });
    const reset = await t.http.post('/auth/reset-password', { token: 'x', password: long });
    expect(reset.status).toBe(422);
    // The longest accepted password still works.
    const longest = 'p'.repeat(4096);
    const ok = await t.http.post('/auth/register', {
      email: 'longest@example.com',
      password: longest,
    });
    expect(ok.status).toBe(201);
  });
});
