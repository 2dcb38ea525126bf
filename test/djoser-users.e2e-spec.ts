import { DataSource } from 'typeorm';
import { UsersService } from '../src/accounts/users.service';
import { AuditService } from '../src/audit/audit.service';
import { AuthEvent } from '../src/audit/auth-event.entity';
import { MailService } from '../src/mail/mail.service';
import { Mailbox, type ReceivedMail } from './support/mailbox';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * djoser 2.1's UserViewSet under /accounts/auth/ (issue 29), for DSTOQ's user
 * model (USERNAME_FIELD = "email"), with mails caught by a real SMTP server.
 */
const FRONTEND = 'https://app.dstoq.test';
const PASSWORD = 'Zebra-Quartz-71';
const NEW_PASSWORD = 'Otter-Glacier-38';
const USERS = '/accounts/auth/users/';

/** uid and token of a djoser link (`{protocol}://{domain}/#/…/{uid}/{token}`). */
function linkOf(mail: ReceivedMail, path: string): { uid: string; token: string } {
  const match = new RegExp(`${FRONTEND}/#/${path}/([^/\\s]+)/([^/\\s]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return { uid: match[1], token: match[2] };
}

async function login(t: TestApp, email: string, password: string) {
  const res = await t.http.post('/accounts/auth/jwt/create/', { email, password });
  expect(res.status).toBe(200);
  return { Authorization: `JWT ${res.body.access}` };
}

async function start(env: Record<string, string> = {}) {
  const mailbox = await Mailbox.start();
  const t = await startTestApp({
    env: { SMTP_URL: mailbox.url, MAIL_RETRY_DELAY: '0.05', FRONTEND_URL: FRONTEND, ...env },
  });
  return { mailbox, t, settled: () => t.app.get(MailService).idle() };
}

describe('djoser users/ — defaults', () => {
  let mailbox: Mailbox;
  let t: TestApp;
  let settled: () => Promise<void>;
  beforeAll(async () => ({ mailbox, t, settled } = await start()));
  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  it('signs up: 201 {username, email, id}; the errors of UserCreateSerializer', async () => {
    const created = await t.http.post(USERS, {
      username: 'ana',
      email: 'ana@dstoq.test',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(created.text).toBe(
      JSON.stringify({ username: 'ana', email: 'ana@dstoq.test', id: created.body.id }),
    );

    const missing = await t.http.post(USERS, {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      username: ['This field is required.'],
      email: ['This field is required.'],
      password: ['This field is required.'],
    });
    const taken = await t.http.post(USERS, {
      username: 'ana',
      email: 'ANA@dstoq.test',
      password: PASSWORD,
    });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({
      username: ['A user with that username already exists.'],
      email: ['user with this email address already exists.'],
    });
    const weak = await t.http.post(USERS, {
      username: 'bo',
      email: 'bo@dstoq.test',
      password: '1234',
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toEqual({
      password: [
        'This password is too short. It must contain at least 8 characters.',
        'This password is too common.',
        'This password is entirely numeric.',
      ],
    });
    const badEmail = await t.http.post(USERS, {
      username: 'cy',
      email: 'nope',
      password: PASSWORD,
    });
    expect(badEmail.body).toEqual({ email: ['Enter a valid email address.'] });
  });

  it('a user signed up here logs in on every surface', async () => {
    await t.http.post(USERS, { username: 'dee', email: 'dee@dstoq.test', password: PASSWORD });
    const jwt = await t.http.post('/accounts/auth/jwt/create/', {
      username: 'dee@dstoq.test',
      password: PASSWORD,
    });
    expect(jwt.status).toBe(200);
    const restAuth = await t.http.post('/auth/login/', {
      email: 'dee@dstoq.test',
      password: PASSWORD,
    });
    expect(restAuth.status).toBe(200);
    const fastapi = await t.http.request('POST', '/auth/jwt/login', {
      body: new URLSearchParams({ username: 'dee@dstoq.test', password: PASSWORD }),
    });
    expect(fastapi.status).toBe(200);
  });

  it('lists and shows only the caller (HIDE_USERS); staff see everyone', async () => {
    const users = t.app.get(UsersService);
    const eve = await users.create({
      email: 'eve@dstoq.test',
      username: 'eve',
      password: PASSWORD,
    });
    const fay = await users.create({
      email: 'fay@dstoq.test',
      username: 'fay',
      password: PASSWORD,
    });
    await users.create({
      email: 'boss@dstoq.test',
      username: 'boss',
      password: PASSWORD,
      isStaff: true,
    });
    const auth = await login(t, 'eve@dstoq.test', PASSWORD);

    const unauthenticated = await t.http.get(USERS);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body).toEqual({
      detail: 'Authentication credentials were not provided.',
    });

    const list = await t.http.get(USERS, { headers: auth });
    expect(list.status).toBe(200);
    expect(list.text).toBe(
      JSON.stringify([{ username: 'eve', id: eve.id, email: 'eve@dstoq.test' }]),
    );

    const own = await t.http.get(`${USERS}${eve.id}/`, { headers: auth });
    expect(own.body).toEqual({ username: 'eve', id: eve.id, email: 'eve@dstoq.test' });
    for (const path of [`${USERS}${fay.id}/`, `${USERS}999999/`, `${USERS}abc/`]) {
      const hidden = await t.http.get(path, { headers: auth });
      expect(hidden.status).toBe(404);
      expect(hidden.body).toEqual({ detail: 'Not found.' });
    }
    const otherPatch = await t.http.patch(
      `${USERS}${fay.id}/`,
      { username: 'x' },
      { headers: auth },
    );
    expect(otherPatch.status).toBe(404);
    const otherDelete = await t.http.request('DELETE', `${USERS}${fay.id}/`, {
      headers: auth,
      json: { current_password: PASSWORD },
    });
    expect(otherDelete.status).toBe(403);
    expect(otherDelete.body).toEqual({
      detail: 'You do not have permission to perform this action.',
    });

    const patched = await t.http.patch(
      `${USERS}${eve.id}/`,
      { username: 'eve2' },
      { headers: auth },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ username: 'eve2', id: eve.id, email: 'eve@dstoq.test' });
    const put = await t.http.put(`${USERS}${eve.id}/`, {}, { headers: auth });
    expect(put.status).toBe(400);
    expect(put.body).toEqual({ username: ['This field is required.'] });

    const staff = await login(t, 'boss@dstoq.test', PASSWORD);
    const all = await t.http.get(USERS, { headers: staff });
    expect(all.body.length).toBeGreaterThanOrEqual(3);
    const seen = await t.http.get(`${USERS}${fay.id}/`, { headers: staff });
    expect(seen.body).toEqual({ username: 'fay', id: fay.id, email: 'fay@dstoq.test' });
  });

  it('users/me/: PUT, PATCH, DELETE with current_password', async () => {
    await t.http.post(USERS, { username: 'gus', email: 'gus@dstoq.test', password: PASSWORD });
    const auth = await login(t, 'gus@dstoq.test', PASSWORD);
    const patched = await t.http.patch(`${USERS}me/`, { username: 'gus2' }, { headers: auth });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      country_code: null,
      email: 'gus@dstoq.test',
      kyc_status: 'pending',
    });
    const put = await t.http.put(`${USERS}me/`, { username: 'gus3' }, { headers: auth });
    expect(put.status).toBe(200);

    const noPassword = await t.http.request('DELETE', `${USERS}me/`, { headers: auth, json: {} });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body).toEqual({ current_password: ['This field is required.'] });
    const wrong = await t.http.request('DELETE', `${USERS}me/`, {
      headers: auth,
      json: { current_password: 'wrong' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ current_password: ['Invalid password.'] });
    const deleted = await t.http.request('DELETE', `${USERS}me/`, {
      headers: auth,
      json: { current_password: PASSWORD },
    });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await t.http.post('/accounts/auth/jwt/create/', {
      email: 'gus@dstoq.test',
      password: PASSWORD,
    });
    expect(gone.status).toBe(401);
  });

  it('set_password: 204; wrong current password, weak new one', async () => {
    await t.http.post(USERS, { username: 'hal', email: 'hal@dstoq.test', password: PASSWORD });
    const auth = await login(t, 'hal@dstoq.test', PASSWORD);
    const wrong = await t.http.post(
      `${USERS}set_password/`,
      { new_password: NEW_PASSWORD, current_password: 'nope' },
      { headers: auth },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ current_password: ['Invalid password.'] });
    const weak = await t.http.post(
      `${USERS}set_password/`,
      { new_password: 'hal@dstoq.test', current_password: PASSWORD },
      { headers: auth },
    );
    expect(weak.status).toBe(400);
    expect(weak.body).toEqual({
      new_password: ['The password is too similar to the email address.'],
    });
    const changed = await t.http.post(
      `${USERS}set_password/`,
      { new_password: NEW_PASSWORD, current_password: PASSWORD },
      { headers: auth },
    );
    expect(changed.status).toBe(204);
    await login(t, 'hal@dstoq.test', NEW_PASSWORD);
  });

  it('reset_password → mail → reset_password_confirm, once; unknown address alike', async () => {
    await t.http.post(USERS, { username: 'ivy', email: 'ivy@dstoq.test', password: PASSWORD });
    const unknown = await t.http.post(`${USERS}reset_password/`, { email: 'nobody@dstoq.test' });
    expect(unknown.status).toBe(204);
    expect(unknown.text).toBe('');
    const bad = await t.http.post(`${USERS}reset_password/`, { email: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ email: ['Enter a valid email address.'] });

    const asked = await t.http.post(`${USERS}reset_password/`, { email: 'ivy@dstoq.test' });
    expect(asked.status).toBe(204);
    await settled();
    const mail = await mailbox.waitFor('ivy@dstoq.test');
    expect(mail.subject).toBe('Password reset on app.dstoq.test');
    expect(mail.text).toContain(
      "You're receiving this email because you requested a password reset for your user account at app.dstoq.test.",
    );
    expect(mail.text).toContain("Your username, in case you've forgotten: ivy@dstoq.test");
    const { uid, token } = linkOf(mail, 'password/reset/confirm');

    const badUid = await t.http.post(`${USERS}reset_password_confirm/`, {
      uid: 'xx',
      token,
      new_password: NEW_PASSWORD,
    });
    expect(badUid.body).toEqual({ uid: ["Invalid user id or user doesn't exist."] });
    const badToken = await t.http.post(`${USERS}reset_password_confirm/`, {
      uid,
      token: `${token}x`,
      new_password: NEW_PASSWORD,
    });
    expect(badToken.body).toEqual({ token: ['Invalid token for given user.'] });

    // Two uses at once: exactly one resets.
    const uses = await Promise.all(
      [0, 1].map(() =>
        t.http.post(`${USERS}reset_password_confirm/`, { uid, token, new_password: NEW_PASSWORD }),
      ),
    );
    expect(uses.map((r) => r.status).sort()).toEqual([204, 400]);
    expect(uses.find((r) => r.status === 400)?.body).toEqual({
      token: ['Invalid token for given user.'],
    });
    await login(t, 'ivy@dstoq.test', NEW_PASSWORD);
  });

  it('set_email, reset_email → reset_email_confirm', async () => {
    await t.http.post(USERS, { username: 'jo', email: 'jo@dstoq.test', password: PASSWORD });
    const auth = await login(t, 'jo@dstoq.test', PASSWORD);
    const taken = await t.http.post(
      `${USERS}set_email/`,
      { current_password: PASSWORD, new_email: 'ivy@dstoq.test' },
      { headers: auth },
    );
    expect(taken.body).toEqual({ new_email: ['user with this email address already exists.'] });
    const changed = await t.http.post(
      `${USERS}set_email/`,
      { current_password: PASSWORD, new_email: 'jo2@dstoq.test' },
      { headers: auth },
    );
    expect(changed.status).toBe(204);
    await login(t, 'jo2@dstoq.test', PASSWORD);

    expect((await t.http.post(`${USERS}reset_email/`, { email: 'jo2@dstoq.test' })).status).toBe(
      204,
    );
    await settled();
    const mail = await mailbox.waitFor('jo2@dstoq.test');
    expect(mail.subject).toBe('Username reset on app.dstoq.test');
    const { uid, token } = linkOf(mail, 'email/reset/confirm');
    const noUid = await t.http.post(`${USERS}reset_email_confirm/`, {
      new_email: 'jo3@dstoq.test',
    });
    expect(noUid.body).toEqual({ uid: ["Invalid user id or user doesn't exist."] });
    const confirmed = await t.http.post(`${USERS}reset_email_confirm/`, {
      uid,
      token,
      new_email: 'jo3@dstoq.test',
    });
    expect(confirmed.status).toBe(204);
    const again = await t.http.post(`${USERS}reset_email_confirm/`, {
      uid,
      token,
      new_email: 'jo4@dstoq.test',
    });
    expect(again.body).toEqual({ token: ['Invalid token for given user.'] });
    await login(t, 'jo3@dstoq.test', PASSWORD);
  });

  it("djoser's requests are audited like the other surfaces': sign-up, login, failures, password change", async () => {
    await t.http.post(USERS, { username: 'aud', email: 'aud@dstoq.test', password: PASSWORD });
    const wrong = await t.http.post('/accounts/auth/jwt/create/', {
      email: 'aud@dstoq.test',
      password: 'not-it',
    });
    expect(wrong.status).toBe(401);
    const auth = await login(t, 'aud@dstoq.test', PASSWORD);
    const changed = await t.http.post(
      `${USERS}set_password/`,
      { new_password: NEW_PASSWORD, current_password: PASSWORD },
      { headers: auth },
    );
    expect(changed.status).toBe(204);
    await t.app.get(AuditService).flush();
    const { id } = (await t.app.get(UsersService).findByEmail('aud@dstoq.test'))!;
    const rows = await t.app
      .get(DataSource)
      .getRepository(AuthEvent)
      // A refused login is recorded by the identifier as typed.
      .find({ where: [{ userId: id }, { identifier: 'aud@dstoq.test' }], order: { id: 'ASC' } });
    expect(rows.map((row) => [row.type, row.outcome])).toEqual([
      ['registered', 'success'],
      ['login', 'failure'],
      ['login', 'success'],
      ['password_change', 'success'],
    ]);
    expect(rows[0].surface).toBe('djoser');
  });

  it('activation and resend_activation with activation mails off', async () => {
    const resend = await t.http.post(`${USERS}resend_activation/`, { email: 'ana@dstoq.test' });
    expect(resend.status).toBe(400);
    expect(resend.text).toBe('');
    const missing = await t.http.post(`${USERS}activation/`, {});
    expect(missing.body).toEqual({
      uid: ['This field is required.'],
      token: ['This field is required.'],
    });
  });
});

describe('djoser users/ — USER_CREATE_PASSWORD_RETYPE and SEND_ACTIVATION_EMAIL on', () => {
  let mailbox: Mailbox;
  let t: TestApp;
  let settled: () => Promise<void>;
  beforeAll(
    async () =>
      ({ mailbox, t, settled } = await start({
        DJOSER_USER_CREATE_PASSWORD_RETYPE: 'true',
        DJOSER_SEND_ACTIVATION_EMAIL: 'true',
        DJOSER_SET_PASSWORD_RETYPE: 'true',
        DJOSER_PASSWORD_CHANGED_EMAIL_CONFIRMATION: 'true',
      })),
  );
  afterAll(async () => {
    await t.close();
    await mailbox.stop();
  });

  it('sign up (retyped) → activation mail → activate once → log in', async () => {
    const noRetype = await t.http.post(USERS, {
      username: 'kim',
      email: 'kim@dstoq.test',
      password: PASSWORD,
    });
    expect(noRetype.body).toEqual({ re_password: ['This field is required.'] });
    const differ = await t.http.post(USERS, {
      username: 'kim',
      email: 'kim@dstoq.test',
      password: PASSWORD,
      re_password: NEW_PASSWORD,
    });
    expect(differ.body).toEqual({ non_field_errors: ["The two password fields didn't match."] });
    const created = await t.http.post(USERS, {
      username: 'kim',
      email: 'kim@dstoq.test',
      password: PASSWORD,
      re_password: PASSWORD,
    });
    expect(created.status).toBe(201);
    const inactive = await t.http.post('/accounts/auth/jwt/create/', {
      email: 'kim@dstoq.test',
      password: PASSWORD,
    });
    expect(inactive.status).toBe(401);

    await settled();
    const mail = await mailbox.waitFor('kim@dstoq.test');
    expect(mail.subject).toBe('Account activation on app.dstoq.test');
    expect(mail.text).toContain('Please go to the following page to activate account:');
    const { uid, token } = linkOf(mail, 'activate');

    const resent = await t.http.post(`${USERS}resend_activation/`, { email: 'kim@dstoq.test' });
    expect(resent.status).toBe(204);

    const uses = await Promise.all(
      [0, 1].map(() => t.http.post(`${USERS}activation/`, { uid, token })),
    );
    expect(uses.map((r) => r.status).sort()).toEqual([204, 403]);
    expect(uses.find((r) => r.status === 403)?.body).toEqual({
      detail: 'Stale token for given user.',
    });
    const auth = await login(t, 'kim@dstoq.test', PASSWORD);

    const noRetypeChange = await t.http.post(
      `${USERS}set_password/`,
      { new_password: NEW_PASSWORD, current_password: PASSWORD },
      { headers: auth },
    );
    expect(noRetypeChange.body).toEqual({ re_new_password: ['This field is required.'] });
    const changed = await t.http.post(
      `${USERS}set_password/`,
      { new_password: NEW_PASSWORD, re_new_password: NEW_PASSWORD, current_password: PASSWORD },
      { headers: auth },
    );
    expect(changed.status).toBe(204);
    const notice = await mailbox.waitFor('kim@dstoq.test', 3);
    expect(notice.subject).toBe('app.dstoq.test - Your password has been successfully changed!');
  });
});
