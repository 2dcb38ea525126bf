import type { Redis } from 'ioredis';
import { REDIS } from '../src/infra/redis/redis.module';
import { TokenFlushService } from '../src/jobs/token-flush.service';
import { redisServer } from './support/services';
import { startTestApp, type TestApp } from './support/test-app';

/** Two instances on one database run a tick at the same moment: one flushes, and only once per lease. */
async function expectOneInstanceRuns(a: TestApp, b: TestApp): Promise<void> {
  const [first, second] = await Promise.all([
    a.app.get(TokenFlushService).tick(3600),
    b.app.get(TokenFlushService).tick(3600),
  ]);
  expect([first, second].filter(Boolean)).toHaveLength(1);
  // The lease (most of an hour) is held: neither runs it again now.
  expect(await a.app.get(TokenFlushService).tick(3600)).toBe(false);
  expect(await b.app.get(TokenFlushService).tick(3600)).toBe(false);
}

describe('scheduled jobs', () => {
  it('run on one instance at a time: a lease row in the database without Redis', async () => {
    const a = await startTestApp({ env: { TOKEN_FLUSH_INTERVAL: '0' } });
    const b = await startTestApp({ database: a.database, env: { TOKEN_FLUSH_INTERVAL: '0' } });
    try {
      await expectOneInstanceRuns(a, b);
    } finally {
      await b.close();
      await a.close();
    }
  });

  const redis = redisServer();
  (redis ? it : it.skip)('run on one instance at a time: a Redis lock with REDIS_URL', async () => {
    const prefix = `gh-test-${process.pid}-${Date.now()}`;
    const key = `${prefix}:job:token-flush`;
    const env = { TOKEN_FLUSH_INTERVAL: '0', REDIS_URL: redis ?? '', REDIS_PREFIX: prefix };
    const a = await startTestApp({ env });
    const b = await startTestApp({ database: a.database, env });
    try {
      for (const app of [a, b]) {
        const client = app.app.get<Redis>(REDIS);
        if (client.status !== 'ready')
          await new Promise((resolve) => client.once('ready', resolve));
      }
      await expectOneInstanceRuns(a, b);
      // The lock is in Redis, not in the database.
      expect(await a.app.get<Redis>(REDIS).pttl(key)).toBeGreaterThan(0);
      await a.app.get<Redis>(REDIS).del(key);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
