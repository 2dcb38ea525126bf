import { Redis } from 'ioredis';
import { UsersService } from '../src/accounts/users.service';
import { MailService } from '../src/mail/mail.service';
import { Mailbox } from './support/mailbox';
import { type ServerProcess, startServerOnFreePort } from './support/processes';
import { RedisProcess, redisServerBinary } from './support/redis-process';
import { postgresServer } from './support/services';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import {
  captureLogs,
  HttpClient,
  type HttpResponse,
  type RequestOptions,
  startTestApp,
  type TestApp,
  testEnvironment,
} from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';
/** Every answer during the outage must come within this (a hang aborts the request). */
const FAST = { timeoutMs: 3000 };
/** Four login attempts per identifier per minute, per instance while Redis is away. */
const LOGIN_LIMIT = 4;
const RATES = [
  `login=${LOGIN_LIMIT}/minute`,
  ...['login_address', 'mail', 'mail_address', 'confirm', 'confirm_address'].map(
    (scope) => `${scope}=100000/minute`,
  ),
].join(',');

const hasRedisServer = redisServerBinary();
const postgres = postgresServer();

/** Waits until `predicate` holds, polling; fails naming `what` after the timeout. */
async function until(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const form = (email: string, password = PASSWORD): RequestOptions => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ username: email, password }).toString(),
  ...FAST,
});

const databases: [string, string | undefined][] = [
  ['SQLite', ''], // '' rather than undefined: SQLite whatever DATABASE_URL says
  ...(postgres ? [['PostgreSQL', postgres] as [string, string]] : []),
];

/**
 * Two instances on one database and a private redis-server: A is a real
 * process (`node dist/src/main.js`), B runs in this process. Redis is killed
 * under them, and brought back on the same port, while they serve.
 */
(hasRedisServer ? describe.each(databases) : describe.skip.each(databases))(
  'Redis stopped: still serving (%s)',
  (_name, server) => {
    let redis: RedisProcess;
    let database: TestDatabase;
    let mailbox: Mailbox;
    let a: ServerProcess;
    let aHttp: HttpClient;
    let b: TestApp;
    const { stream: bLogStream, lines: bLog } = captureLogs();
    const ids: Record<string, number> = {};
    const env = () => ({
      SMTP_URL: mailbox.url,
      REDIS_URL: redis.url,
      DEFAULT_THROTTLE_RATES: RATES,
      // Long enough that only a shared invalidation explains another instance's refusal.
      USER_CACHE_TTL: '300',
      MAIL_RETRY_DELAY: '0.25',
      MAIL_MAX_ATTEMPTS: '100',
      LOG_LEVEL: 'info',
    });

    beforeAll(async () => {
      redis = await RedisProcess.start();
      database = await createTestDatabase(server);
      mailbox = await Mailbox.start();
      let baseUrl: string;
      ({ server: a, baseUrl } = await startServerOnFreePort(testEnvironment(database.url, env())));
      aHttp = new HttpClient(baseUrl);
      b = await startTestApp({ database, env: env(), logStream: bLogStream });
      const users = b.app.get(UsersService);
      await users.create({ email: 'admin@example.com', password: PASSWORD, isStaff: true });
      const names = [
        'alice',
        'bob',
        'carol',
        'dave',
        'throttled',
        'shared',
        'leaving',
        'mail',
        'reset',
      ];
      for (const name of names) {
        ids[name] = (await users.create({ email: `${name}@example.com`, password: PASSWORD })).id;
      }
    }, 120_000);

    afterAll(async () => {
      if (a && a.child.exitCode === null) a.child.kill('SIGKILL');
      await b?.close();
      await mailbox?.stop();
      await redis?.kill();
      await database?.drop();
    }, 30_000);

    /** Logs in on three surfaces of `http` and asks who am I: every answer right and fast. */
    async function serves(http: HttpClient, email: string): Promise<void> {
      const simplejwt = await http.post('/api/token/', { email, password: PASSWORD }, FAST);
      expect(simplejwt.status).toBe(200);
      const fastapi = await http.request('POST', '/auth/jwt/login', form(email));
      expect(fastapi.status).toBe(200);
      expect(fastapi.body).toEqual({ access_token: expect.any(String), token_type: 'bearer' });
      const restAuth = await http.post('/auth/login/', { email, password: PASSWORD }, FAST);
      expect(restAuth.status).toBe(200);
      const me = await http.get('/accounts/auth/users/me/', {
        headers: { authorization: `JWT ${simplejwt.body.access}` },
        ...FAST,
      });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email });
      const keyed = await http.get('/authentication/user/', {
        headers: { authorization: `Token ${restAuth.body.key}` },
        ...FAST,
      });
      expect(keyed.status).toBe(200);
    }

    /** Wrong-password attempts on SimpleJWT's login: their statuses. */
    async function attempts(http: HttpClient, email: string, count: number): Promise<number[]> {
      const statuses: number[] = [];
      for (let i = 0; i < count; i++) {
        const res = await http.post('/api/token/', { email, password: 'wrong-Password-1' }, FAST);
        statuses.push(res.status);
      }
      return statuses;
    }

    async function redisState(http: HttpClient): Promise<string | undefined> {
      const health = await http.get('/health', FAST);
      expect(health.status).toBe(200);
      return (health.body as { info?: { redis?: { status: string } } }).info?.redis?.status;
    }

    it('serves normally with Redis up, and /health says so', async () => {
      // Three logins each: distinct accounts, under the login limit of four.
      await serves(aHttp, 'alice@example.com');
      await serves(b.http, 'bob@example.com');
      for (const http of [aHttp, b.http]) {
        const health = await http.get('/health', FAST);
        expect(health.status).toBe(200);
        expect(health.body).toMatchObject({
          status: 'ok',
          info: { database: { status: 'up' }, redis: { status: 'up' } },
          error: {},
        });
        expect(health.body.details.redis).toEqual({ status: 'up' });
      }
      // A mail goes through the queue in Redis.
      expect(
        (await aHttp.post('/auth/password/reset/', { email: 'mail@example.com' })).status,
      ).toBe(200);
      await mailbox.waitFor('mail@example.com', 1, 30_000);
    });

    it('keeps serving logins and who-am-I, fast, once Redis is killed; /health: 200, redis down', async () => {
      await redis.kill();
      await serves(aHttp, 'carol@example.com');
      await serves(b.http, 'dave@example.com');
      for (const http of [aHttp, b.http]) {
        const health = await http.get('/health', FAST);
        expect(health.status).toBe(200);
        expect(health.body).toMatchObject({
          status: 'ok',
          info: { database: { status: 'up' }, redis: { status: 'down' } },
          error: {},
        });
        // `down`, and nothing of the driver's message (no URL, no port).
        expect(health.body.info.redis).toEqual({ status: 'down' });
        expect(health.body.details.redis).toEqual({ status: 'down' });
        expect(health.text).not.toContain(String(redis.port));
      }
      expect((await aHttp.get('/health/live', FAST)).body).toEqual({ status: 'ok' });
      await until(() => a.output().includes('Redis unavailable'), "A's warning");
      await until(() => bLog.join('').includes('Redis unavailable'), "B's warning");
    });

    it('throttles per instance while Redis is away', async () => {
      const onA = await attempts(aHttp, 'throttled@example.com', LOGIN_LIMIT + 1);
      expect(onA).toEqual([...Array<number>(LOGIN_LIMIT).fill(401), 429]);
      // B has counted nothing for this identifier: its own count starts now.
      expect(await attempts(b.http, 'throttled@example.com', 1)).toEqual([401]);
    });

    it('puts a mail asked for while Redis is away in the database outbox at once', async () => {
      await mailbox.stop(); // and SMTP is not accepting yet: nobody can deliver it
      const reset = await aHttp.post('/auth/password/reset/', { email: 'reset@example.com' }, FAST);
      expect(reset.status).toBe(200);
      // In the table (B reads it from the database), not waiting for Redis in A's memory.
      const mail = b.app.get(MailService);
      await until(async () => (await mail.queueDepth()) === 1, 'the mail in the outbox', 10_000);
      await until(() => a.output().includes('using the database outbox'), "A's log of it");
    });

    it('shares state again once Redis is back on its port, without restarting the apps', async () => {
      await redis.restart();
      await until(
        async () => (await redisState(aHttp)) === 'up' && (await redisState(b.http)) === 'up',
        'both instances to see Redis',
      );
      const probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await probe.connect();
      try {
        // Both instances listen for cache invalidations again.
        await until(async () => {
          const [, subscribers] = (await probe.pubsub(
            'NUMSUB',
            'gatehouse:auth-cache:invalidate',
          )) as [string, number];
          return subscribers === 2;
        }, 'both instances to subscribe again');
      } finally {
        probe.disconnect();
      }

      // A deactivation on A applies at once on B, whose cache holds the user for 300 s.
      const admin = await aHttp.post('/api/token/', {
        email: 'admin@example.com',
        password: PASSWORD,
      });
      const victim = await b.http.post('/api/token/', {
        email: 'leaving@example.com',
        password: PASSWORD,
      });
      const headers = { authorization: `JWT ${victim.body.access}` };
      expect((await b.http.get('/accounts/auth/users/me/', { headers })).status).toBe(200);
      const deactivated = await aHttp.request('DELETE', `/api/users/${ids.leaving}/`, {
        headers: { authorization: `JWT ${admin.body.access}` },
      });
      expect(deactivated.status).toBe(204);
      // Redis hands B the invalidation while A's publish is acknowledged; B's event
      // loop may still take an HTTP request first. Seconds, against B's 300 s TTL:
      // only the shared invalidation can explain the refusal.
      let refused: HttpResponse | undefined;
      await until(
        async () => {
          refused = await b.http.get('/accounts/auth/users/me/', { headers });
          return refused.status === 401;
        },
        'B to refuse the deactivated user',
        3000,
      );
      expect(refused?.body).toEqual({ detail: 'User is inactive', code: 'user_inactive' });

      // Throttle counts are shared again: two attempts here and two there fill the limit.
      expect(await attempts(aHttp, 'shared@example.com', 2)).toEqual([401, 401]);
      expect(await attempts(b.http, 'shared@example.com', 2)).toEqual([401, 401]);
      expect(await attempts(aHttp, 'shared@example.com', 1)).toEqual([429]);
    });

    it('delivers the outbox mail exactly once after the instance that took it has stopped', async () => {
      await a.stop(); // SIGTERM: A stops gracefully, the mail undelivered
      expect(a.child.exitCode).toBe(0);
      expect(a.output()).not.toContain('shutdown took longer');
      expect(mailbox.to('reset@example.com')).toHaveLength(0);
      await mailbox.listen(); // SMTP accepts again: B delivers what A took
      const delivered = await mailbox.waitFor('reset@example.com', 1, 60_000);
      expect(delivered.subject).toContain('Password Reset');
      await b.app.get(MailService).idle();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(mailbox.to('reset@example.com')).toHaveLength(1);
      expect(await b.app.get(MailService).queueDepth()).toBe(0);

      // The queue in Redis takes mail again (its worker reconnected): no outbox fallback.
      const fallbacks = bLog.join('').split('using the database outbox').length;
      expect(
        (await b.http.post('/auth/password/reset/', { email: 'mail@example.com' })).status,
      ).toBe(200);
      await mailbox.waitFor('mail@example.com', 2, 30_000);
      expect(bLog.join('').split('using the database outbox')).toHaveLength(fallbacks);
    }, 90_000);
  },
);
