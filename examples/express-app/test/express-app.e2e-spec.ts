import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { startApp, type TestApp } from '@gatehouse-auth/nestjs/testing';
import { AppModule } from '../src/app.module';

/**
 * The Express host app, end to end (node:test, Jest's `expect`): Gatehouse installed
 * as a package, in a plain `NestFactory.create(AppModule)` app on Express, over the
 * real database (a SQLite file, or a schema of its own when DATABASE_URL names PostgreSQL).
 */
describe('examples/express-app', () => {
  let host: TestApp<NestExpressApplication>;
  let http: TestApp['http'];
  const PASSWORD = 'Zebra-Quartz-71';

  before(async () => {
    // As src/main.ts starts it: AppModule as it is (it reads its settings from the
    // environment, which the kit fills with the test's), on Express.
    host = await startApp<NestExpressApplication>(AppModule, {
      adapter: () => new ExpressAdapter(),
    });
    ({ http } = host);
  });
  after(() => host.close());

  it('runs on Express', () => {
    expect(host.app.getHttpAdapter().getType()).toBe('express');
  });

  it('signs up (dj-rest-auth), logs in and answers who-am-I on djoser + SimpleJWT (`JWT`)', async () => {
    // The djoser surface mirrors DSTOQ's (JWT create/refresh/verify, users/me): its users
    // sign up through dj-rest-auth's /auth/registration/, on the same user store.
    const signup = await http.post('/auth/registration/', {
      username: 'ada',
      email: 'ada@example.com',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(signup.status).toBe(201);
    expect(signup.body).toMatchObject({ key: expect.any(String) });

    const login = await http.post('/accounts/auth/jwt/create/', {
      username: 'ada@example.com',
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ access: expect.any(String), refresh: expect.any(String) });

    const me = await http.get('/accounts/auth/users/me/', {
      headers: { Authorization: `JWT ${login.body.access}` },
    });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      country_code: null,
      email: 'ada@example.com',
      kyc_status: expect.any(String),
    });
  });

  it('signs up, logs in (form body) and answers /users/me on fastapi-users (`Bearer`)', async () => {
    const signup = await http.post('/auth/register', {
      email: 'grace@example.com',
      password: PASSWORD,
    });
    expect(signup.status).toBe(201);
    expect(signup.body).toMatchObject({ email: 'grace@example.com', is_active: true });

    const login = await http.post('/auth/jwt/login', undefined, {
      body: new URLSearchParams({ username: 'grace@example.com', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ access_token: expect.any(String), token_type: 'bearer' });

    const me = await http.get('/users/me', {
      headers: { Authorization: `Bearer ${login.body.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: signup.body.id, email: 'grace@example.com' });
  });

  it('answers a Django path with and without its trailing slash', async () => {
    const user = await host.createUser({ email: 'linus@example.com', password: PASSWORD });
    for (const path of ['/api/token/', '/api/token']) {
      const token = await http.post(path, { email: user.email, password: PASSWORD });
      expect({ path, status: token.status }).toEqual({ path, status: 200 });
      expect(token.body).toEqual({ access: expect.any(String), refresh: expect.any(String) });
    }
  });

  it('answers a bad body with DRF’s field errors', async () => {
    const bad = await http.post('/auth/registration/', {
      email: 'not-an-email',
      subscribe: 'perhaps',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      email: ['Enter a valid email address.'],
      subscribe: ['Must be a valid boolean.'],
    });
  });

  it('protects the host’s own /hello route with Gatehouse’s guard', async () => {
    const anonymous = await http.get('/hello');
    expect(anonymous.status).toBe(401);

    const user = await host.createUser({ email: 'barbara@example.com', password: PASSWORD });
    for (const scheme of ['JWT', 'Bearer'] as const) {
      const client = await host.loginAs(user, scheme);
      const hello = await client.get('/hello');
      expect({ scheme, status: hello.status, body: hello.body }).toEqual({
        scheme,
        status: 200,
        body: { hello: 'barbara@example.com' },
      });
    }
  });
});
