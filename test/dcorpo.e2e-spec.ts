import { UsersService } from '../src/accounts/users.service';
import { decodeJwt } from './support/jwt';
import { startTestApp, type TestApp } from './support/test-app';

describe('seed 003 — dcorpo account endpoints that need no mail', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const users = t.app.get(UsersService);
    await users.create({
      email: 'dc@example.com',
      username: 'dcorpo',
      password: 'Zebra-Quartz-71',
      firstName: 'Dee',
    });
    await users.create({
      email: 'other@example.com',
      username: 'taken',
      password: 'Zebra-Quartz-71',
    });
  });
  afterAll(() => t.close());

  const login = async (password = 'Zebra-Quartz-71') => {
    const res = await t.http.post('/auth/login/', { username: 'dcorpo', password });
    expect(res.status).toBe(200);
    return res.body as {
      key: string;
      access_token: string;
      refresh_token: string;
      user: Record<string, unknown>;
    };
  };

  it('/auth/user: GET, PUT and PATCH; pk and email are read-only', async () => {
    const { access_token, user } = await login();
    const auth = { Authorization: `Bearer ${access_token}` };
    const got = await t.http.get('/auth/user', { headers: auth });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(user);
    expect(got.body).toEqual({
      pk: user.pk,
      username: 'dcorpo',
      email: 'dc@example.com',
      first_name: 'Dee',
      last_name: '',
    });

    const put = await t.http.request('PUT', '/auth/user/', {
      headers: auth,
      json: {
        username: 'dcorpo2',
        first_name: 'D',
        last_name: 'Corpo',
        email: 'hijack@example.com',
        pk: 999,
        is_staff: true,
      },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      pk: user.pk,
      username: 'dcorpo2',
      email: 'dc@example.com',
      first_name: 'D',
      last_name: 'Corpo',
    });

    const patch = await t.http.request('PATCH', '/auth/user/', {
      headers: auth,
      json: { username: 'dcorpo' },
    });
    expect(patch.body).toMatchObject({ username: 'dcorpo', first_name: 'D', last_name: 'Corpo' });
    expect((await t.app.get(UsersService).findByEmail('dc@example.com'))!.isStaff).toBe(false);

    const missing = await t.http.request('PUT', '/auth/user/', {
      headers: auth,
      json: { first_name: 'x' },
    });
    expect(missing.body).toEqual({ username: ['This field is required.'] });
    const taken = await t.http.request('PATCH', '/auth/user/', {
      headers: auth,
      json: { username: 'taken' },
    });
    expect(taken.body).toEqual({ username: ['A user with that username already exists.'] });
    const invalid = await t.http.request('PATCH', '/auth/user/', {
      headers: auth,
      json: { username: 'no spaces' },
    });
    expect(invalid.body).toEqual({
      username: [
        'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
      ],
    });
    expect((await t.http.get('/auth/user/')).status).toBe(401);
  });

  it('/auth/token/verify/ answers {} and /auth/token/refresh/ adds access_token_expiration', async () => {
    const { access_token, refresh_token } = await login();
    const verify = await t.http.post('/auth/token/verify/', { token: access_token });
    expect(verify.status).toBe(200);
    expect(verify.text).toBe('{}');
    const bad = await t.http.post('/auth/token/verify/', { token: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });

    const refreshed = await t.http.post('/auth/token/refresh/', { refresh: refresh_token });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body)).toEqual(['access', 'access_token_expiration']);
    expect(refreshed.body.access_token_expiration).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
    );
    const exp = decodeJwt(refreshed.body.access).payload.exp as number;
    expect(Date.parse(refreshed.body.access_token_expiration)).toBe(exp * 1000);
    const wrong = await t.http.post('/auth/token/refresh/', { refresh: access_token });
    expect(wrong.body).toEqual({ detail: 'Token has wrong type', code: 'token_not_valid' });
  });

  it("password change: Django's messages, then every session of the user ends", async () => {
    const session = await login();
    const auth = { Authorization: `Token ${session.key}` };
    const wrongOld = await t.http.post(
      '/auth/password/change/',
      { old_password: 'nope', new_password1: 'Quartz-Zebra-82', new_password2: 'Quartz-Zebra-82' },
      { headers: auth },
    );
    expect(wrongOld.status).toBe(400);
    expect(wrongOld.body).toEqual({
      old_password: ['Your old password was entered incorrectly. Please enter it again.'],
    });
    const mismatch = await t.http.post(
      '/auth/password/change/',
      {
        old_password: 'Zebra-Quartz-71',
        new_password1: 'Quartz-Zebra-82',
        new_password2: 'Quartz-Zebra-83',
      },
      { headers: auth },
    );
    expect(mismatch.body).toEqual({ new_password2: ['The two password fields didn’t match.'] });
    const weak = await t.http.post(
      '/auth/password/reset/change/',
      { old_password: 'Zebra-Quartz-71', new_password1: '12345678', new_password2: '12345678' },
      { headers: auth },
    );
    expect(weak.body).toEqual({
      new_password2: ['This password is too common.', 'This password is entirely numeric.'],
    });
    const missing = await t.http.post(
      '/auth/password/change/',
      { old_password: 'Zebra-Quartz-71' },
      { headers: auth },
    );
    expect(missing.body).toEqual({
      new_password1: ['This field is required.'],
      new_password2: ['This field is required.'],
    });

    const changed = await t.http.post(
      '/auth/password/reset/change/',
      {
        old_password: 'Zebra-Quartz-71',
        new_password1: 'Quartz-Zebra-82',
        new_password2: 'Quartz-Zebra-82',
      },
      { headers: auth },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ detail: 'New password has been saved.' });

    expect((await t.http.get('/auth/user/', { headers: auth })).body).toEqual({
      detail: 'Invalid token.',
    });
    const replay = await t.http.post('/auth/token/refresh/', { refresh: session.refresh_token });
    expect(replay.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    expect(
      (await t.http.post('/auth/login/', { username: 'dcorpo', password: 'Zebra-Quartz-71' }))
        .status,
    ).toBe(400);
    await login('Quartz-Zebra-82');
  });
});
