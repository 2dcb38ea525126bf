import { UsersService } from '../src/accounts/users.service';
import { MailService } from '../src/mail/mail.service';
import { TokenKeyService } from '../src/token-key/token-key.service';
import { Mailbox } from './support/mailbox';
import { type ServerProcess, startServerOnFreePort } from './support/processes';
import { postgresServer, redisServer } from './support/services';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { HttpClient, startTestApp, type TestApp, testEnvironment } from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';
const postgres = postgresServer();
const redis = redisServer();
/** This run's own Redis keys: specs running at once never share a queue or a lock. */
const prefix = `gh-test-${process.pid}-${Date.now()}`;

/** Waits until `predicate` holds, polling; fails naming `what` after the timeout. */
async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Instance A is a real process (`node dist/src/main.js`, killed with SIGKILL
 * below), instance B runs in this process; both on one fresh PostgreSQL
 * database and the local Redis.
 */
(postgres && redis ? describe : describe.skip)('two instances on PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let mailbox: Mailbox;
  let a: ServerProcess;
  let aHttp: HttpClient;
  let b: TestApp;
  const env = () => ({
    SMTP_URL: mailbox.url,
    REDIS_URL: redis ?? '',
    REDIS_PREFIX: prefix,
    ROTATE_REFRESH_TOKENS: 'true',
    BLACKLIST_AFTER_ROTATION: 'true',
    MAIL_RETRY_DELAY: '1',
  });

  beforeAll(async () => {
    database = await createTestDatabase(postgres);
    mailbox = await Mailbox.start();
    let baseUrl: string;
    ({ server: a, baseUrl } = await startServerOnFreePort(
      testEnvironment(database.url, { ...env(), LOG_LEVEL: 'info' }),
    ));
    aHttp = new HttpClient(baseUrl);
    b = await startTestApp({ database, env: env() });
  }, 90_000);

  afterAll(async () => {
    if (a?.child.exitCode === null) a.child.kill('SIGKILL');
    await b?.close();
    await mailbox?.stop();
    await database?.drop();
  });

  async function user(email: string, extra: { isStaff?: boolean } = {}) {
    return b.app.get(UsersService).create({ email, password: PASSWORD, ...extra });
  }

  it('honours on B a logout on A: the refresh token and the Token key', async () => {
    await user('logout@example.com');
    const login = await aHttp.post('/auth/login/', {
      email: 'logout@example.com',
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    const { key, refresh_token: refresh } = login.body;
    expect(
      (await b.http.get('/authentication/user/', { headers: { authorization: `Token ${key}` } }))
        .status,
    ).toBe(200);

    const logout = await aHttp.post(
      '/auth/logout/',
      { refresh },
      {
        headers: { authorization: `Token ${key}` },
      },
    );
    expect(logout.status).toBe(200);

    expect(
      (await b.http.get('/authentication/user/', { headers: { authorization: `Token ${key}` } }))
        .body,
    ).toEqual({ detail: 'Invalid token.' });
    const refreshed = await b.http.post('/api/token/refresh/', { refresh });
    expect(refreshed.status).toBe(401);
    expect(refreshed.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
  });

  it('honours on B a rotation on A, and on A a key revoked on B', async () => {
    await user('rotate@example.com');
    const pair = await aHttp.post('/api/token/', {
      email: 'rotate@example.com',
      password: PASSWORD,
    });
    const rotated = await aHttp.post('/api/token/refresh/', { refresh: pair.body.refresh });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh).toEqual(expect.any(String));
    // Within REFRESH_REUSE_GRACE the old token yields the same successor (docs/sessions.md).
    const stale = await b.http.post('/api/token/refresh/', { refresh: pair.body.refresh });
    expect(stale.status).toBe(200);
    expect(stale.body.refresh).toBe(rotated.body.refresh);
    expect(
      (await b.http.post('/api/token/refresh/', { refresh: rotated.body.refresh })).status,
    ).toBe(200);

    const login = await aHttp.post('/auth/login/', {
      email: 'rotate@example.com',
      password: PASSWORD,
    });
    const owner = await b.app.get(UsersService).findActiveById(login.body.user.pk);
    expect(await b.app.get(TokenKeyService).revokeAllFor(owner!.id)).toBeGreaterThan(0);
    const after = await aHttp.get('/authentication/user/', {
      headers: { authorization: `Token ${login.body.key}` },
    });
    expect(after.status).toBe(401);
  });

  it('honours on B a deactivation through the admin API of A', async () => {
    await user('admin@example.com', { isStaff: true });
    const target = await user('leaving@example.com');
    const admin = await aHttp.post('/api/token/', {
      email: 'admin@example.com',
      password: PASSWORD,
    });
    const victim = await aHttp.post('/api/token/', {
      email: 'leaving@example.com',
      password: PASSWORD,
    });
    const headers = { authorization: `JWT ${victim.body.access}` };
    expect((await b.http.get('/accounts/auth/users/me/', { headers })).status).toBe(200);

    const deactivated = await aHttp.request('DELETE', `/api/users/${target.id}/`, {
      headers: { authorization: `JWT ${admin.body.access}` },
    });
    expect(deactivated.status).toBe(204);
    const refused = await b.http.get('/accounts/auth/users/me/', { headers });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ detail: 'User is inactive', code: 'user_inactive' });
  });

  it('serves /metrics on both, and returns and logs a request id sent in', async () => {
    for (const http of [aHttp, b.http]) {
      const metrics = await http.get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('gatehouse_http_request_duration_seconds_count');
    }
    const traced = await aHttp.get('/accounts/auth/users/me/', {
      headers: { 'X-Request-Id': 'two-instances-trace-1' },
    });
    expect(traced.status).toBe(401);
    expect(traced.headers.get('x-request-id')).toBe('two-instances-trace-1');
    await until(() => a.output().includes('"reqId":"two-instances-trace-1"'), 'the request line');
  });

  it('delivers exactly once a mail queued on A, killed before it could deliver', async () => {
    await user('outbox@example.com');
    await mailbox.stop(); // SMTP is down: nobody can deliver yet
    const reset = await aHttp.post('/auth/password/reset/', { email: 'outbox@example.com' });
    expect(reset.status).toBe(200);
    // Queued (in Redis) and not deliverable while SMTP is down; whichever worker
    // holds it, A dies now.
    let depth = 0;
    const mail = b.app.get(MailService);
    for (let tries = 0; depth === 0 && tries < 100; tries++) {
      depth = await mail.queueDepth();
      if (depth === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(depth).toBe(1);
    a.child.kill('SIGKILL');
    await a.exited;

    await mailbox.listen(); // SMTP is back: B delivers what A left
    await mailbox.waitFor('outbox@example.com', 1, 60_000);
    await mail.idle();
    expect(mailbox.to('outbox@example.com')).toHaveLength(1);
  });
});
