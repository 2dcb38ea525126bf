import { DataSource } from 'typeorm';
import { User } from '../src/accounts/user.entity';
import { FastapiUsersService } from '../src/accounts/fastapi-users.service';
import { UsersService } from '../src/accounts/users.service';
import { UsersAdminService } from '../src/surfaces/admin/users-admin.service';
import { TokenKey } from '../src/token-key/token-key.entity';
import { decodeJwt } from './support/jwt';
import { startTestApp, type TestApp } from './support/test-app';

/** Seed 002's whole sample body, with an address of ours. */
const SEED_REGISTRATION = {
  full_name: 'testU1',
  email: 'testu1@example.com',
  password: 'test1234',
  confirm_password: 'test1234',
  subscribe: true,
  password1: 'test@1291',
  password2: 'test@1291',
};

describe('seed 002 — dj-rest-auth registration and login with Token keys (REST_AUTH_TOKEN=key)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { REST_AUTH_TOKEN: 'key' } });
  });
  afterAll(() => t.close());

  it("follows the seed's three steps: register → key; login → key; Token on /authentication/user/", async () => {
    const registered = await t.http.post('/auth/registration/', SEED_REGISTRATION);
    expect(registered.status).toBe(201);
    expect(Object.keys(registered.body)).toEqual(['key']);
    expect(registered.body.key).toMatch(/^[0-9a-f]{40}$/);

    const user = (await t.app.get(UsersService).findByEmail('testu1@example.com'))!;
    expect(user).toMatchObject({
      firstName: 'testU1',
      lastName: '',
      subscribe: true,
      username: 'testu1',
    });

    const login = await t.http.post('/auth/login/', {
      email: 'testu1@example.com',
      password: 'test@1291',
    });
    expect(login.status).toBe(200);
    expect(Object.keys(login.body)).toEqual(['key']);
    expect(login.body.key).not.toBe(registered.body.key);

    const me = await t.http.get('/authentication/user/', {
      headers: { Authorization: `Token ${login.body.key}`, 'Content-Type': 'application/json' },
    });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      pk: user.id,
      username: 'testu1',
      email: 'testu1@example.com',
      first_name: 'testU1',
      last_name: '',
    });

    // Logout revokes the presented key; the user's other key still works.
    const out = await t.http.post(
      '/auth/logout/',
      {},
      { headers: { Authorization: `Token ${login.body.key}` } },
    );
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ detail: 'Successfully logged out.' });
    const revoked = await t.http.get('/authentication/user/', {
      headers: { Authorization: `Token ${login.body.key}` },
    });
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual({ detail: 'Invalid token.' });
    const other = await t.http.get('/authentication/user/', {
      headers: { Authorization: `Token ${registered.body.key}` },
    });
    expect(other.status).toBe(200);

    // Deactivation ends every session (DESIGN.md): the key is gone, as after a logout.
    const staff = await t.app
      .get(UsersService)
      .create({ email: 'deactivating-staff@example.com', isStaff: true });
    await t.app.get(UsersAdminService).deactivate(staff, String(user.id));
    const inactive = await t.http.get('/authentication/user/', {
      headers: { Authorization: `Token ${registered.body.key}` },
    });
    expect(inactive.status).toBe(401);
    expect(inactive.body).toEqual({ detail: 'Invalid token.' });
    expect(inactive.headers.get('www-authenticate')).toBe('Token');
    await t.app.get(FastapiUsersService).update(user, { isActive: true });
    // And it does not come back with a re-activation.
    const reactivated = await t.http.get('/authentication/user/', {
      headers: { Authorization: `Token ${registered.body.key}` },
    });
    expect(reactivated.status).toBe(401);
    expect(reactivated.body).toEqual({ detail: 'Invalid token.' });

    // The database never holds a clear key.
    const rows = await t.app.get(DataSource).getRepository(TokenKey).find();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(registered.body.key);
    expect(dump).not.toContain(login.body.key);
  });

  it('answers registration errors to the letter, writing nothing', async () => {
    const users = t.app.get(DataSource).getRepository(User);
    const before = await users.count();
    const taken = await t.http.post('/auth/registration/', {
      ...SEED_REGISTRATION,
      email: 'TESTU1@example.com',
    });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({ email: ['Email address already in use'] });

    const mismatch = await t.http.post('/auth/registration/', {
      email: 'x1@example.com',
      password1: 'Zebra-Quartz-71',
      password2: 'Zebra-Quartz-72',
    });
    expect(mismatch.body).toEqual({ non_field_errors: ["The two password fields didn't match."] });

    const weak = await t.http.post('/auth/registration/', {
      email: 'x2@example.com',
      password1: '1234567',
      password2: '1234567',
    });
    expect(weak.body).toEqual({
      password1: [
        'This password is too short. It must contain at least 8 characters.',
        'This password is too common.',
        'This password is entirely numeric.',
      ],
    });
    const similar = await t.http.post('/auth/registration/', {
      email: 'jane.doe@corp.example',
      password1: 'jane.doe@corp',
      password2: 'jane.doe@corp',
    });
    // allauth generates the username from the e-mail before the password is compared with it.
    expect(similar.body).toEqual({
      non_field_errors: ['The password is too similar to the username.'],
    });

    const dupName = await t.http.post('/auth/registration/', {
      username: 'testu1',
      email: 'x3@example.com',
      password1: 'Zebra-Quartz-71',
      password2: 'Zebra-Quartz-71',
    });
    expect(dupName.body).toEqual({ username: ['A user with that username already exists.'] });

    const fallback = await t.http.post('/auth/registration/', {
      email: 'x4@example.com',
      password: 'Zebra-Quartz-71',
      confirm_password: 'Zebra-Quartz-7',
    });
    expect(fallback.body).toEqual({ non_field_errors: ["The two password fields didn't match."] });

    const invalid = await t.http.post('/auth/registration/', {
      email: 'not-an-email',
      subscribe: 'perhaps',
    });
    expect(invalid.body).toEqual({
      email: ['Enter a valid email address.'],
      subscribe: ['Must be a valid boolean.'],
    });
    expect(await users.count()).toBe(before);
  });

  it('answers login errors to the letter; inactive is like a wrong password, blocked is told', async () => {
    const users = t.app.get(UsersService);
    await users.create({ email: 'off@example.com', password: 'Zebra-Quartz-71', isActive: false });
    await users.create({
      email: 'blocked@example.com',
      password: 'Zebra-Quartz-71',
      isBlocked: true,
    });
    const unable = { non_field_errors: ['Unable to log in with provided credentials.'] };
    expect(
      (await t.http.post('/auth/login/', { email: 'testu1@example.com', password: 'wrong' })).body,
    ).toEqual(unable);
    expect(
      (
        await t.http.post('/auth/login/', {
          email: 'nobody@example.com',
          password: 'Zebra-Quartz-71',
        })
      ).body,
    ).toEqual(unable);
    expect(
      (await t.http.post('/auth/login/', { email: 'off@example.com', password: 'Zebra-Quartz-71' }))
        .body,
    ).toEqual(unable);
    const blocked = await t.http.post('/auth/login/', {
      email: 'blocked@example.com',
      password: 'Zebra-Quartz-71',
    });
    expect(blocked.status).toBe(400);
    expect(blocked.body).toEqual({
      non_field_errors: ['Your account has been blocked. Please contact support.'],
    });
    expect(
      (await t.http.post('/auth/login/', { email: 'blocked@example.com', password: 'wrong' })).body,
    ).toEqual(unable);
    expect((await t.http.post('/auth/login/', { password: 'x' })).body).toEqual({
      non_field_errors: ['Must include "username" and "password".'],
    });
    expect((await t.http.post('/auth/login/', { email: 'a@b.co' })).body).toEqual({
      password: ['This field is required.'],
    });
  });
});

describe('seed 002 and 003 share /auth/login/ and /auth/registration/ (REST_AUTH_TOKEN=both, the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("registers seed 003's body and logs in by username, answering key and the JWT trio", async () => {
    const registered = await t.http.post('/auth/registration/', {
      username: 'dcorpo',
      email: 'dc@example.com',
      password1: 'Zebra-Quartz-71',
      password2: 'Zebra-Quartz-71',
    });
    expect(registered.status).toBe(201);
    expect(Object.keys(registered.body)).toEqual(['key', 'access_token', 'refresh_token', 'user']);

    const login = await t.http.post('/auth/login/', {
      username: 'dcorpo',
      password: 'Zebra-Quartz-71',
    });
    expect(login.status).toBe(200);
    expect(Object.keys(login.body)).toEqual(['key', 'access_token', 'refresh_token', 'user']);
    expect(login.body.user).toEqual({
      pk: expect.any(Number),
      username: 'dcorpo',
      email: 'dc@example.com',
      first_name: '',
      last_name: '',
    });
    expect(decodeJwt(login.body.access_token).payload.token_type).toBe('access');
    expect(decodeJwt(login.body.refresh_token).payload.token_type).toBe('refresh');

    for (const header of [
      `Token ${login.body.key}`,
      `Bearer ${login.body.access_token}`,
      `JWT ${login.body.access_token}`,
    ]) {
      const me = await t.http.get('/authentication/user/', { headers: { Authorization: header } });
      expect(me.body.username).toBe('dcorpo');
    }

    const out = await t.http.post('/auth/logout/', { refresh: login.body.refresh_token });
    expect(out.body).toEqual({ detail: 'Successfully logged out.' });
    const refused = await t.http.post('/api/token/refresh/', { refresh: login.body.refresh_token });
    expect(refused.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    const again = await t.http.post('/auth/logout/', { refresh: login.body.refresh_token });
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ detail: 'Token is blacklisted' });
  });

  it('logout needs no authentication and answers anyone', async () => {
    const res = await t.http.post('/auth/logout/', {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: 'Successfully logged out.' });
  });

  it('REST_AUTH_TOKEN=jwt answers the JWT trio alone', async () => {
    const jwtOnly = await startTestApp({ env: { REST_AUTH_TOKEN: 'jwt' } });
    try {
      await jwtOnly.app
        .get(UsersService)
        .create({ email: 'j@example.com', username: 'jonly', password: 'Zebra-Quartz-71' });
      const login = await jwtOnly.http.post('/auth/login/', {
        username: 'jonly',
        password: 'Zebra-Quartz-71',
      });
      expect(Object.keys(login.body)).toEqual(['access_token', 'refresh_token', 'user']);
    } finally {
      await jwtOnly.close();
    }
  });
});
