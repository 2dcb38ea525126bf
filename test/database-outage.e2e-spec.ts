import { UsersService } from '../src/accounts/users.service';
import { postgresServer } from './support/services';
import { TcpProxy } from './support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';
const server = postgresServer();

/** A request that must be answered within the 5 s the outage allows (a hang aborts it). */
function within5s(t: TestApp, path: string, init: RequestInit = {}) {
  return fetch(t.baseUrl + path, { ...init, signal: AbortSignal.timeout(5000) });
}

function post(t: TestApp, path: string, body: string, type = 'application/json') {
  return within5s(t, path, { method: 'POST', headers: { 'content-type': type }, body });
}

(server ? describe : describe.skip)('a PostgreSQL outage', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let access: string;

  beforeAll(async () => {
    database = await createTestDatabase(server);
    const real = new URL(database.url);
    proxy = new TcpProxy(real.hostname, Number(real.port) || 5432);
    await proxy.start();
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    t = await startTestApp({ database: { ...database, url: proxied.toString() } });
    await t.app
      .get(UsersService)
      .create({ email: 'outage@example.com', username: 'outage', password: PASSWORD });
    const login = await t.http.post('/api/token/', {
      email: 'outage@example.com',
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    access = login.body.access;
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
    await database?.drop();
  });

  it('answers 503 in each dialect, fast, while the database refuses connections, and recovers', async () => {
    await proxy.stop();

    const simplejwt = await post(
      t,
      '/api/token/',
      JSON.stringify({ email: 'outage@example.com', password: PASSWORD }),
    );
    expect(simplejwt.status).toBe(503);
    expect(simplejwt.headers.get('retry-after')).toBe('5');
    expect(await simplejwt.json()).toEqual({
      detail: 'Service temporarily unavailable, try again later.',
    });

    const me = await within5s(t, '/accounts/auth/users/me/', {
      headers: { authorization: `JWT ${access}` },
    });
    expect(me.status).toBe(503);
    expect(await me.json()).toEqual({
      detail: 'Service temporarily unavailable, try again later.',
    });

    const fastapi = await post(
      t,
      '/auth/jwt/login',
      new URLSearchParams({ username: 'outage@example.com', password: PASSWORD }).toString(),
      'application/x-www-form-urlencoded',
    );
    expect(fastapi.status).toBe(503);
    expect(await fastapi.json()).toEqual({ detail: 'Service Unavailable' });

    const restAuth = await post(
      t,
      '/auth/login/',
      JSON.stringify({ email: 'outage@example.com', password: PASSWORD }),
    );
    expect(restAuth.status).toBe(503);

    expect((await within5s(t, '/health')).status).toBe(503);
    const live = await within5s(t, '/health/live');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });

    await proxy.start();
    // Service resumes without a restart (the pool reconnects on the next request).
    const again = await post(
      t,
      '/api/token/',
      JSON.stringify({ email: 'outage@example.com', password: PASSWORD }),
    );
    expect(again.status).toBe(200);
    expect((await within5s(t, '/health')).status).toBe(200);
    const meAgain = await within5s(t, '/accounts/auth/users/me/', {
      headers: { authorization: `JWT ${access}` },
    });
    expect(meAgain.status).toBe(200);
  });
});
