import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { UsersService } from '@gatehouse-auth/nestjs';
import { startApp, type TestApp } from '@gatehouse-auth/nestjs/testing';
import { AcmeAppModule } from '../src/app.module';
import { LoginAudit } from '../src/audit/login-audit.entity';
import { DepartmentService } from '../src/department/department.service';
import { jwtPayload } from './support';

/**
 * The example consumer app, end to end (node:test, Jest's `expect`): Gatehouse
 * installed as a package and imported by its name, extended with a department (entity, migration, claim, user field), a password
 * rule and a login audit — over the real database, on both surfaces it touches.
 */
describe('examples/extend-gatehouse', () => {
  // Gatehouse's test kit: the app on a throw-away database (a SQLite file, or a
  // schema of its own when DATABASE_URL names PostgreSQL), on a loopback port.
  let acme: TestApp;
  let app: TestApp['app'];
  let http: TestApp['http'];
  const PASSWORD = 'Zebra-Quartz-71';

  before(async () => {
    // As src/main.ts starts it: a plain NestFactory.create on Fastify.
    acme = await startApp((config) => AcmeAppModule.forRoot(config), {
      env: { REST_AUTH_TOKEN: 'jwt' },
      adapter: () => new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } }),
    });
    ({ app, http } = acme);
    const { user } = await acme.createUser({
      email: 'wile@looney.example',
      username: 'wile',
      password: PASSWORD,
    });
    await app.get(DepartmentService).set(user.id, 'Rockets');
  });
  after(() => acme.close());

  const audit = () =>
    app
      .get(DataSource)
      .getRepository(LoginAudit)
      .find({ order: { id: 'ASC' } });

  it('puts the department in the JWT, and shows and changes it on /auth/user/', async () => {
    const login = await http.post('/auth/login/', { username: 'wile', password: PASSWORD });
    expect(login.status).toBe(200);
    expect(jwtPayload(login.body.access_token).department).toBe('Rockets');
    expect(login.body.user).toMatchObject({ username: 'wile', department: 'Rockets' });
    const auth = { Authorization: `Bearer ${login.body.access_token}` };

    const me = await http.get('/auth/user/', { headers: auth });
    expect(me.body).toEqual({
      pk: expect.any(Number),
      username: 'wile',
      email: 'wile@looney.example',
      first_name: '',
      last_name: '',
      department: 'Rockets',
    });
    const patched = await http.request('PATCH', '/auth/user/', {
      headers: auth,
      json: { department: 'Anvils', first_name: 'Wile' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ first_name: 'Wile', department: 'Anvils' });
    const bad = await http.request('PATCH', '/auth/user/', {
      headers: auth,
      json: { department: '' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      department: ['Enter a department name of at most 100 characters.'],
    });

    // The next token carries the new department; so does fastapi-users' /users/me.
    const token = await http.post('/api/token/', {
      email: 'wile@looney.example',
      password: PASSWORD,
    });
    expect(jwtPayload(token.body.access).department).toBe('Anvils');
    const kyc = await http.get('/users/me', {
      headers: { Authorization: `Bearer ${token.body.access}` },
    });
    expect(kyc.body).toMatchObject({ email: 'wile@looney.example', department: 'Anvils' });
  });

  it('adds its password rule to Django’s, as a DRF field error on sign-up and change', async () => {
    const signup = await http.post('/auth/registration/', {
      username: 'roadrunner',
      email: 'rr@acme.example',
      password1: 'Beep-Acme-Beep-9',
      password2: 'Beep-Acme-Beep-9',
    });
    expect(signup.status).toBe(400);
    expect(signup.body).toEqual({
      password1: ['The password must not contain the company name "Acme".'],
    });

    // A client logged in through djoser's JWT endpoint, as the kit's loginAs does it.
    const wile = await acme.loginAs({ email: 'wile@looney.example', password: PASSWORD }, 'JWT');
    const change = await wile.post('/auth/password/change/', {
      old_password: PASSWORD,
      new_password1: 'acme',
      new_password2: 'acme',
    });
    expect(change.status).toBe(400);
    expect(change.body).toEqual({
      new_password2: [
        'This password is too short. It must contain at least 8 characters.',
        'The password must not contain the company name "Acme".',
      ],
    });
  });

  it('records user.logged_in and user.login_failed in its own table', async () => {
    const before = (await audit()).length;
    await http.post('/api/token/', { email: 'wile@looney.example', password: PASSWORD });
    await http.post('/auth/login/', { username: 'wile', password: 'wrong-password' });
    await http.post('/auth/jwt/login', undefined, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=nobody%40acme.example&password=x',
    });
    const rows = (await audit()).slice(before);
    const user = await app.get(UsersService).findByEmail('wile@looney.example');
    expect(
      rows.map(({ event, surface, identifier, reason, userId }) => ({
        event,
        surface,
        identifier,
        reason,
        userId,
      })),
    ).toEqual([
      {
        event: 'logged_in',
        surface: 'simplejwt',
        identifier: 'wile@looney.example',
        reason: null,
        userId: user!.id,
      },
      {
        event: 'login_failed',
        surface: 'rest-auth',
        identifier: 'wile',
        reason: 'bad_credentials',
        userId: null,
      },
      {
        event: 'login_failed',
        surface: 'fastapi-users',
        identifier: 'nobody@acme.example',
        reason: 'bad_credentials',
        userId: null,
      },
    ]);
    expect(rows.every((row) => row.at instanceof Date)).toBe(true);
  });

  it('also boots with createGatehouseApp, on the Fastify copy of the host’s adapter', async () => {
    // Its Fastify options (a LogController among them) must come from the Fastify that
    // @nestjs/platform-fastify loads, which is not Gatehouse's own on Nest 11. Without
    // an adapter the kit builds the app with createGatehouseApp.
    const standalone = await startApp((config) => AcmeAppModule.forRoot(config));
    try {
      const health = await standalone.http.get('/health/live');
      expect(health.status).toBe(200);
      const missing = await standalone.http.post('/api/token/', {});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({
        email: ['This field is required.'],
        password: ['This field is required.'],
      });
    } finally {
      await standalone.close();
    }
  });
});
