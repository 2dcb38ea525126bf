import { UsersService } from '../src/accounts/users.service';
import { MailService } from '../src/mail/mail.service';
import { Mailbox, type ReceivedMail } from './support/mailbox';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Seed 003 with its mail: a real SMTP server on loopback catches what
 * Gatehouse's nodemailer transport sends.
 */
const FRONTEND = 'https://app.example.test';
const PASSWORD = 'Zebra-Quartz-71';
const NEW_PASSWORD = 'Otter-Glacier-38';

/** The path segments after a frontend path in a mail's link. */
function linkParts(mail: ReceivedMail, path: string): string[] {
  const match = new RegExp(`${FRONTEND}${path}(\\S+?)/?(?:\\s|$)`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1].split('/').map(decodeURIComponent);
}

async function mailsSettled(t: TestApp): Promise<void> {
  await t.app.get(MailService).idle();
}

describe('seed 003 — dcorpo end to end, with mandatory e-mail verification', () => {
  let mailbox: Mailbox;
  let t: TestApp;
  beforeAll(async () => {
    mailbox = await Mailbox.start();
    t = await startTestApp({
      env: {
        SMTP_URL: mailbox.url,
        MAIL_FROM: 'dcorpo <noreply@dcorpo.test>',
        MAIL_RETRY_DELAY: '0.05',
        FRONTEND_URL: FRONTEND,
        EMAIL_VERIFICATION: 'mandatory',
        REST_AUTH_TOKEN: 'jwt',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  it('register → verify → login → user → refresh/verify → change → logout', async () => {
    const registered = await t.http.post('/auth/registration/', {
      username: 'testu1',
      email: 'testu1@example.com',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({ detail: 'Verification e-mail sent.' });

    const early = await t.http.post('/auth/login/', { username: 'testu1', password: PASSWORD });
    expect(early.status).toBe(400);
    expect(early.body).toEqual({ non_field_errors: ['E-mail is not verified.'] });

    const mail = await mailbox.waitFor('testu1@example.com');
    expect(mail.from).toBe('noreply@dcorpo.test');
    expect(mail.subject).toBe('[app.example.test] Please Confirm Your E-mail Address');
    expect(mail.html).toContain(`href="${FRONTEND}/verify-email/`);
    const [key] = linkParts(mail, '/verify-email/');

    const forged = await t.http.post('/auth/registration/verify-email/', { key: `${key}x` });
    expect(forged.status).toBe(404);
    expect(forged.body).toEqual({ detail: 'Not found.' });
    const verified = await t.http.post('/auth/registration/verify-email/', { key });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ detail: 'ok' });
    const again = await t.http.post('/auth/registration/verify-email/', { key });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ detail: 'Not found.' });

    const login = await t.http.post('/auth/login', { username: 'testu1', password: PASSWORD });
    expect(login.status).toBe(200);
    expect(Object.keys(login.body)).toEqual(['access_token', 'refresh_token', 'user']);
    expect(login.body.user).toEqual({
      pk: expect.any(Number),
      username: 'testu1',
      email: 'testu1@example.com',
      first_name: '',
      last_name: '',
    });
    const auth = { Authorization: `Bearer ${login.body.access_token}` };

    expect((await t.http.get('/auth/user', { headers: auth })).body).toEqual(login.body.user);
    const put = await t.http.request('PUT', '/auth/user', {
      headers: auth,
      json: { username: 'testu1', first_name: 'Test', last_name: 'User', email: 'x@example.com' },
    });
    expect(put.body).toEqual({ ...login.body.user, first_name: 'Test', last_name: 'User' });
    const patch = await t.http.request('PATCH', '/auth/user/', {
      headers: auth,
      json: { last_name: 'Person', is_staff: true },
    });
    expect(patch.body).toEqual({ ...login.body.user, first_name: 'Test', last_name: 'Person' });

    const refreshed = await t.http.post('/auth/token/refresh/', {
      refresh: login.body.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body)).toEqual(['access', 'access_token_expiration']);
    const verify = await t.http.post('/auth/token/verify/', { token: refreshed.body.access });
    expect(verify.status).toBe(200);
    expect(verify.body).toEqual({});
    const badVerify = await t.http.post('/auth/token/verify/', { token: 'not-a-token' });
    expect(badVerify.status).toBe(401);
    expect(badVerify.body).toEqual({
      detail: 'Token is invalid or expired',
      code: 'token_not_valid',
    });

    const wrongOld = await t.http.post(
      '/auth/password/change/',
      { old_password: 'nope', new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD },
      { headers: auth },
    );
    expect(wrongOld.status).toBe(400);
    expect(wrongOld.body).toEqual({
      old_password: ['Your old password was entered incorrectly. Please enter it again.'],
    });
    const mismatch = await t.http.post(
      '/auth/password/reset/change',
      { old_password: PASSWORD, new_password1: NEW_PASSWORD, new_password2: `${NEW_PASSWORD}!` },
      { headers: auth },
    );
    expect(mismatch.body).toEqual({
      new_password2: ['The two password fields didn\u2019t match.'],
    });
    const changed = await t.http.post(
      '/auth/password/reset/change/',
      { old_password: PASSWORD, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD },
      { headers: auth },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ detail: 'New password has been saved.' });
    const notice = await mailbox.waitFor('testu1@example.com', 2);
    expect(notice.subject).toBe('[app.example.test] Password Changed');
    expect(notice.text).toContain('testu1');

    // LOGOUT_ON_PASSWORD_CHANGE: the refresh token of the old password is dead.
    const stale = await t.http.post('/auth/token/refresh/', { refresh: login.body.refresh_token });
    expect(stale.status).toBe(401);
    expect(stale.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    expect(
      (await t.http.post('/auth/login/', { username: 'testu1', password: PASSWORD })).status,
    ).toBe(400);

    const relogin = await t.http.post('/auth/login/', {
      username: 'testu1',
      password: NEW_PASSWORD,
    });
    expect(relogin.status).toBe(200);
    const logout = await t.http.post('/auth/logout/', { refresh: relogin.body.refresh_token });
    expect(logout.status).toBe(200);
    expect(logout.body).toEqual({ detail: 'Successfully logged out.' });
    const afterLogout = await t.http.post('/auth/token/refresh/', {
      refresh: relogin.body.refresh_token,
    });
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
  });

  it('password reset: mail → confirm with its uid and token → the link works once', async () => {
    const users = t.app.get(UsersService);
    const user = await users.create({
      email: 'Reset.Me@example.com',
      username: 'resetme',
      password: PASSWORD,
      isVerified: true,
    });
    const requested = await t.http.post('/auth/password/reset/', { email: 'reset.me@EXAMPLE.com' });
    expect(requested.status).toBe(200);
    expect(requested.body).toEqual({ detail: 'Password reset e-mail has been sent.' });

    const mail = await mailbox.waitFor('Reset.Me@example.com');
    expect(mail.subject).toBe('[app.example.test] Password Reset E-mail');
    expect(mail.text).toContain('your username is resetme');
    const [uid, token] = linkParts(mail, '/password-reset/confirm/');
    expect(uid).toBe(user.id.toString(36));
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{32}$/);

    const confirm = (body: Record<string, unknown>) =>
      t.http.post('/auth/password/reset/confirm/', {
        uid,
        token,
        new_password1: NEW_PASSWORD,
        new_password2: NEW_PASSWORD,
        ...body,
      });
    expect((await confirm({ uid: 'zzzzzz' })).body).toEqual({ uid: ['Invalid value'] });
    expect((await confirm({ uid: '!!' })).body).toEqual({ uid: ['Invalid value'] });
    // Another last hex digit: a token one character off.
    const tampered = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
    expect((await confirm({ token: tampered })).body).toEqual({
      token: ['Invalid value'],
    });
    expect((await confirm({ new_password2: 'Different-Password-1' })).body).toEqual({
      new_password2: ['The two password fields didn\u2019t match.'],
    });
    const weak = await confirm({ new_password1: '12345', new_password2: '12345' });
    expect(weak.status).toBe(400);
    expect(weak.body).toEqual({
      new_password2: [
        'This password is too short. It must contain at least 8 characters.',
        'This password is too common.',
        'This password is entirely numeric.',
      ],
    });
    expect((await t.http.post('/auth/password/reset/confirm/', {})).body).toEqual({
      uid: ['This field is required.'],
      token: ['This field is required.'],
      new_password1: ['This field is required.'],
      new_password2: ['This field is required.'],
    });

    const done = await confirm({});
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ detail: 'Password has been reset with the new password.' });
    expect((await mailbox.waitFor('Reset.Me@example.com', 2)).subject).toBe(
      '[app.example.test] Password Changed',
    );

    const old = await t.http.post('/auth/login/', { username: 'resetme', password: PASSWORD });
    expect(old.status).toBe(400);
    expect(old.body).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
    const fresh = await t.http.post('/auth/login/', {
      email: 'reset.me@example.com',
      password: NEW_PASSWORD,
    });
    expect(fresh.status).toBe(200);

    const reused = await confirm({
      new_password1: 'Third-Password-92',
      new_password2: 'Third-Password-92',
    });
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({ token: ['Invalid value'] });
  });

  it('reset and resend answer alike for known and unknown addresses, and mail only the known', async () => {
    const users = t.app.get(UsersService);
    await users.create({ email: 'known@example.com', username: 'known', password: PASSWORD });

    for (const path of ['/auth/password/reset/', '/auth/registration/resend-email/']) {
      const known = await t.http.post(path, { email: 'known@example.com' });
      const unknown = await t.http.post(path, { email: 'nobody@example.com' });
      expect(unknown.status).toBe(known.status);
      expect(unknown.text).toBe(known.text);
      expect(unknown.headers.get('content-type')).toBe(known.headers.get('content-type'));
    }
    await mailsSettled(t);
    expect(mailbox.to('nobody@example.com')).toHaveLength(0);
    expect(mailbox.to('known@example.com').map((m) => m.subject)).toEqual([
      '[app.example.test] Password Reset E-mail',
      '[app.example.test] Please Confirm Your E-mail Address',
    ]);

    // resend is rate-limited per address: a second request within the interval sends nothing.
    const second = await t.http.post('/auth/registration/resend-email', {
      email: 'known@example.com',
    });
    expect(second.body).toEqual({ detail: 'ok' });
    await mailsSettled(t);
    expect(mailbox.to('known@example.com')).toHaveLength(2);

    // A malformed address is a field error, not a silent success.
    const bad = await t.http.post('/auth/password/reset/', { email: 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ email: ['Enter a valid email address.'] });
  });

  it('registration errors, to the letter, and nothing written on failure', async () => {
    const users = t.app.get(UsersService);
    await users.create({ email: 'first@example.com', username: 'first', password: PASSWORD });
    const register = (body: Record<string, unknown>) =>
      t.http.post('/auth/registration/', {
        username: 'second',
        email: 'second@example.com',
        password1: PASSWORD,
        password2: PASSWORD,
        ...body,
      });
    expect((await register({ username: 'first' })).body).toEqual({
      username: ['A user with that username already exists.'],
    });
    expect((await register({ email: 'FIRST@example.com' })).body).toEqual({
      email: ['Email address already in use'],
    });
    expect((await register({ password2: 'Zebra-Quartz-72' })).body).toEqual({
      non_field_errors: ["The two password fields didn't match."],
    });
    expect((await register({ password1: 'second12', password2: 'second12' })).body).toEqual({
      non_field_errors: ['The password is too similar to the username.'],
    });
    expect((await register({ email: 'nope' })).body).toEqual({
      email: ['Enter a valid email address.'],
    });
    expect(await users.findByEmail('second@example.com')).toBeNull();
    await mailsSettled(t);
    expect(mailbox.to('second@example.com')).toHaveLength(0);
  });
});

describe('seed 003 — optional and no e-mail verification', () => {
  let mailbox: Mailbox;
  beforeAll(async () => {
    mailbox = await Mailbox.start();
  });
  afterAll(() => mailbox.stop());

  it('optional (the default): tokens at once, and a confirmation mail', async () => {
    const t = await startTestApp({ env: { SMTP_URL: mailbox.url, FRONTEND_URL: FRONTEND } });
    try {
      const res = await t.http.post('/auth/registration/', {
        username: 'opt',
        email: 'opt@example.com',
        password1: PASSWORD,
        password2: PASSWORD,
      });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['key', 'access_token', 'refresh_token', 'user']);
      const [key] = linkParts(await mailbox.waitFor('opt@example.com'), '/verify-email/');
      expect((await t.http.post('/auth/registration/verify-email/', { key })).body).toEqual({
        detail: 'ok',
      });
      expect((await t.app.get(UsersService).findByEmail('opt@example.com'))!.isVerified).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('none: no mail at all', async () => {
    const t = await startTestApp({
      env: { SMTP_URL: mailbox.url, EMAIL_VERIFICATION: 'none', REST_AUTH_TOKEN: 'key' },
    });
    try {
      const res = await t.http.post('/auth/registration/', {
        email: 'none@example.com',
        password1: PASSWORD,
        password2: PASSWORD,
      });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['key']);
      await mailsSettled(t);
      expect(mailbox.to('none@example.com')).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});

describe('seed 003 — mail survives an SMTP outage', () => {
  it('reset answers 200 while the server is down, and the mail arrives once it is back', async () => {
    const mailbox = await Mailbox.start();
    const port = mailbox.port;
    await mailbox.stop();
    const t = await startTestApp({
      env: { SMTP_URL: mailbox.url, MAIL_RETRY_DELAY: '0.2', FRONTEND_URL: FRONTEND },
    });
    try {
      await t.app
        .get(UsersService)
        .create({ email: 'outage@example.com', username: 'outage', password: PASSWORD });
      const res = await t.http.post('/auth/password/reset/', { email: 'outage@example.com' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ detail: 'Password reset e-mail has been sent.' });

      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(mailbox.mails).toHaveLength(0);
      await mailbox.listen(port);
      const mail = await mailbox.waitFor('outage@example.com', 1, 15_000);
      expect(mail.subject).toBe('[app.example.test] Password Reset E-mail');
      await mailsSettled(t);
      expect(mailbox.to('outage@example.com')).toHaveLength(1);
    } finally {
      await t.close();
      await mailbox.stop();
    }
  });
});
