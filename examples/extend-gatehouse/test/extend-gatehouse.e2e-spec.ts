import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createGatehouseApp, loadConfig, UsersService } from '@gatehouse-auth/nestjs';
import { AcmeAppModule } from '../src/app.module';
import { LoginAudit } from '../src/audit/login-audit.entity';
import { DepartmentService } from '../src/department/department.service';
import {
  createTestDatabase,
  HttpClient,
  jwtPayload,
  testEnvironment,
  type TestDatabase,
} from './support';

async function listen(app: NestFastifyApplication): Promise<HttpClient> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  return new HttpClient(
    `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  );
}

/**
 * The example consumer app, end to end (node:test, Jest's `expect`): Gatehouse
 * installed as a package and imported by its name, extended with a department (entity, migration, claim, user field), a password
 * rule and a login audit — over the real database, on both surfaces it touches.
 */
describe('examples/extend-gatehouse', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let http: HttpClient;
  const PASSWORD = 'Zebra-Quartz-71';

  before(async () => {
    database = await createTestDatabase();
    const config = loadConfig(testEnvironment(database.url, { REST_AUTH_TOKEN: 'jwt' }));
    // As src/main.ts starts it: a plain Nest app on Fastify.
    app = await NestFactory.create<NestFastifyApplication>(
      AcmeAppModule.forRoot(config),
      new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } }),
      { logger: false },
    );
    http = await listen(app);
    const user = await app
      .get(UsersService)
      .create({ email: 'wile@looney.example', username: 'wile', password: PASSWORD });
    await app.get(DepartmentService).set(user.id, 'Rockets');
  });
  after(async () => {
    await app.close();
    await database.drop();
  });

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

    const login = await http.post('/auth/login/', { username: 'wile', password: PASSWORD });
    const change = await http.post(
      '/auth/password/change/',
      { old_password: PASSWORD, new_password1: 'acme', new_password2: 'acme' },
      { headers: { Authorization: `Bearer ${login.body.access_token}` } },
    );
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
    // @nestjs/platform-fastify loads, which is not Gatehouse's own on Nest 11.
    const other = await createTestDatabase();
    const config = loadConfig(testEnvironment(other.url));
    const standalone = await createGatehouseApp(AcmeAppModule.forRoot(config), config);
    try {
      const client = await listen(standalone);
      const health = await client.get('/health/live');
      expect(health.status).toBe(200);
      const missing = await client.post('/api/token/', {});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({
        email: ['This field is required.'],
        password: ['This field is required.'],
      });
    } finally {
      await standalone.close();
      await other.drop();
    }
  });
});
