import { DataSource } from 'typeorm';
import { UsersService } from '../src/accounts/users.service';
import { postgresServer } from './support/services';
import { TcpProxy } from './support/tcp-proxy';
import { createTestDatabase, type TestDatabase, withClient } from './support/test-database';
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

(server ? describe : describe.skip)('PostgreSQL sessions opened by the pool', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase(server);
    t = await startTestApp({ database, env: { DATABASE_QUERY_TIMEOUT: '2500' } });
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('bound a statement and a transaction left idle (a client cut off) on the server side too', async () => {
    const show = async (setting: string) =>
      (await t.app.get(DataSource).query<Record<string, string>[]>(`SHOW ${setting}`))[0][setting];
    expect(await show('statement_timeout')).toBe('2500ms');
    expect(await show('idle_in_transaction_session_timeout')).toBe('2500ms');
  });
});

const DRF_UNAVAILABLE = { detail: 'Service temporarily unavailable, try again later.' };
const FASTAPI_UNAVAILABLE = { detail: 'Service Unavailable' };

interface Answer {
  what: string;
  status: number | 'no answer within 5 s';
  body?: unknown;
  retryAfter?: string | null;
}

/**
 * Two instances on one PostgreSQL database (through a proxy), kept busy by a
 * steady mix of logins on three surfaces and a who-am-I, while the database is
 * taken away four ways. Whatever happens, every answer is the normal one or a 503
 * in the path's dialect with Retry-After, within 5 s; never a 500.
 */
(server ? describe : describe.skip)('PostgreSQL taken away under load from two instances', () => {
  let database: TestDatabase;
  let name: string;
  let proxy: TcpProxy;
  let a: TestApp;
  let b: TestApp;
  let access: string;

  const admin = (sql: string) => withClient(server as string, (client) => client.query(sql));
  /** Ends every backend the two instances hold (their pools' connections). */
  const terminateBackends = () =>
    admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
    );

  beforeAll(async () => {
    database = await createTestDatabase(server);
    name = new URL(database.url).pathname.slice(1);
    const real = new URL(database.url);
    proxy = new TcpProxy(real.hostname, Number(real.port) || 5432);
    await proxy.start();
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const shared = { ...database, url: proxied.toString() };
    // The auth cache would answer who-am-I without the database: off, so it is asked.
    // Light hashing: the load is of requests that need the database, not of CPU.
    const env = { USER_CACHE_TTL: '0', ARGON2_MEMORY_COST: '8192', ARGON2_TIME_COST: '1' };
    a = await startTestApp({ database: shared, env });
    b = await startTestApp({ database: shared, env });
    await a.app
      .get(UsersService)
      .create({ email: 'load@example.com', username: 'load', password: PASSWORD });
    access = (await a.http.post('/api/token/', { email: 'load@example.com', password: PASSWORD }))
      .body.access;
  }, 120_000);

  afterAll(async () => {
    await admin(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin(`ALTER DATABASE "${name}" RESET default_transaction_read_only`).catch(
      () => undefined,
    );
    proxy?.unstall();
    await a?.close();
    await b?.close();
    await proxy?.stop();
    await database?.drop();
  }, 60_000);

  const requests: [string, (t: TestApp) => Promise<Response>, 'drf' | 'fastapi'][] = [
    [
      'SimpleJWT login',
      (t) =>
        post(t, '/api/token/', JSON.stringify({ email: 'load@example.com', password: PASSWORD })),
      'drf',
    ],
    [
      'fastapi-users login',
      (t) =>
        post(
          t,
          '/auth/jwt/login',
          new URLSearchParams({ username: 'load@example.com', password: PASSWORD }).toString(),
          'application/x-www-form-urlencoded',
        ),
      'fastapi',
    ],
    [
      'dj-rest-auth login',
      (t) =>
        post(t, '/auth/login/', JSON.stringify({ email: 'load@example.com', password: PASSWORD })),
      'drf',
    ],
    [
      'djoser who-am-I',
      (t) =>
        within5s(t, '/accounts/auth/users/me/', { headers: { authorization: `JWT ${access}` } }),
      'drf',
    ],
  ];

  /** Keeps both instances busy until `stop` resolves; returns every answer. */
  async function load(stop: Promise<void>): Promise<Answer[]> {
    const answers: Answer[] = [];
    let running = true;
    void stop.then(() => (running = false));
    const worker = async (t: TestApp, offset: number) => {
      for (let i = offset; running; i++) {
        const [what, send, dialect] = requests[i % requests.length];
        try {
          const res = await send(t);
          const body: unknown = await res.json().catch(() => undefined);
          answers.push({
            what: `${what} (${dialect})`,
            status: res.status,
            body,
            retryAfter: res.headers.get('retry-after'),
          });
        } catch {
          answers.push({ what, status: 'no answer within 5 s' });
        }
      }
    };
    await Promise.all([a, b].flatMap((t) => [0, 1].map((offset) => worker(t, offset * 2))));
    return answers;
  }

  /** Every answer the normal one or a 503 in its dialect with Retry-After. */
  function expectNoServerErrors(answers: Answer[]): void {
    const wrong = answers.filter((answer) => {
      if (answer.status === 200) return false;
      if (answer.status !== 503) return true;
      const expected = answer.what.endsWith('(fastapi)') ? FASTAPI_UNAVAILABLE : DRF_UNAVAILABLE;
      return JSON.stringify(answer.body) !== JSON.stringify(expected) || answer.retryAfter !== '5';
    });
    expect(wrong).toEqual([]);
  }

  /** Every request of the mix answers normally on both instances, polled for at most 5 s. */
  async function expectHealedWithin5s(): Promise<void> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const statuses = await Promise.all(
        [a, b].flatMap((t) => requests.map(([, send]) => send(t).then((res) => res.status))),
      );
      if (statuses.every((status) => status === 200)) return;
      if (Date.now() > deadline) expect(statuses).toEqual(statuses.map(() => 200));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Runs the load through `outage` (which takes the database away), then `back`: no
   * answer but the normal one or a 503 in dialect (some 503s when `answers503`), then
   * healed within 5 s.
   */
  async function through(
    outage: () => Promise<void>,
    back: () => Promise<void>,
    answers503 = true,
  ): Promise<void> {
    let release!: () => void;
    const stop = new Promise<void>((resolve) => (release = resolve));
    const answers = load(stop);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await outage();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    release();
    const during = await answers;
    await back();
    expectNoServerErrors(during);
    if (answers503)
      expect(during.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
    await expectHealedWithin5s();
  }

  it('terminated mid-pool: every backend killed while requests run', async () => {
    await through(
      async () => {
        for (let i = 0; i < 3; i++) {
          await terminateBackends();
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      },
      () => Promise.resolve(),
      false,
    );
  }, 60_000);

  it('timed out: the network to the database carries nothing for a while, then all it held', async () => {
    // Every pooled connection hangs mid-query and every new one mid-handshake: the
    // query and connect timeouts answer 503.
    await through(
      () => Promise.resolve(proxy.stall()),
      () => Promise.resolve(proxy.unstall()),
    );
  }, 60_000);

  it('timed out for good: the connections open when the network stalled never answer again', async () => {
    // The route comes back for new connections only. The client drops a connection whose
    // query timed out (kept in the pool, it would hang every request that draws it), and
    // the server ends the transactions those connections left open
    // (idle_in_transaction_session_timeout), so the row locks they hold do not outlive them.
    await through(
      () => Promise.resolve(proxy.stall({ forever: true })),
      () => Promise.resolve(proxy.unstall()),
    );
  }, 60_000);

  it('refused: the database stops accepting connections, and open ones are cut', async () => {
    await through(
      () => proxy.stop(),
      () => proxy.start(),
    );
  }, 60_000);

  it('read-only: default_transaction_read_only on, so every write is refused', async () => {
    await through(
      async () => {
        await admin(`ALTER DATABASE "${name}" SET default_transaction_read_only = on`);
        await terminateBackends();
      },
      async () => {
        await admin(`ALTER DATABASE "${name}" RESET default_transaction_read_only`);
        await terminateBackends();
      },
    );
  }, 60_000);
});
