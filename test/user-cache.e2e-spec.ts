import { UsersService } from '../src/accounts/users.service';
import { detectRedis, REDIS_URL } from './support/redis';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const hasRedis = detectRedis();

/**
 * The user cache's bound, with two app instances on one database: a user
 * deactivated through the admin API, and a revoked Token key, are refused at once
 * on the instance that made the change, and on the other one within
 * USER_CACHE_TTL without Redis, at once (long before the TTL) with it.
 */
function twoInstances(name: string, env: Record<string, string>, bound: number) {
  describe(name, () => {
    let database: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    let staffAuth: Record<string, string>;

    beforeAll(async () => {
      database = await createTestDatabase();
      a = await startTestApp({ database, env });
      b = await startTestApp({ database, env });
      const users = a.app.get(UsersService);
      await users.create({ email: 'staff@example.com', password: 'staff-pass-123', isStaff: true });
      await users.create({ email: 'alice@example.com', password: 'alice-pass-123' });
      await users.create({ email: 'bob@example.com', password: 'bob-pass-12345' });
      const staff = await a.http.post('/api/token/', {
        email: 'staff@example.com',
        password: 'staff-pass-123',
      });
      staffAuth = { Authorization: `JWT ${staff.body.access}` };
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await database?.drop();
    });

    /** Polls until `refused` holds; how long it took, or Infinity past `limit` ms. */
    const refusedWithin = async (limit: number, refused: () => Promise<boolean>) => {
      const start = Date.now();
      while (Date.now() - start <= limit) {
        if (await refused()) return Date.now() - start;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return Infinity;
    };

    it('a user deactivated through the admin API', async () => {
      const login = await a.http.post('/api/token/', {
        email: 'alice@example.com',
        password: 'alice-pass-123',
      });
      const auth = { Authorization: `JWT ${login.body.access}` };
      const me = (app: TestApp) => app.http.get('/accounts/auth/users/me/', { headers: auth });
      // Both instances have alice in their cache.
      expect((await me(a)).status).toBe(200);
      expect((await me(b)).status).toBe(200);
      const id = (await a.http.get('/api/users/', { headers: staffAuth })).body.results.find(
        (u: { email: string }) => u.email === 'alice@example.com',
      ).id as number;

      expect(
        (await a.http.request('DELETE', `/api/users/${id}/`, { headers: staffAuth })).status,
      ).toBe(204);
      const here = await me(a);
      expect(here.status).toBe(401);
      expect(here.body).toEqual({ detail: 'User is inactive', code: 'user_inactive' });
      const elapsed = await refusedWithin(bound, async () => (await me(b)).status === 401);
      expect(elapsed).toBeLessThanOrEqual(bound);
      expect((await me(b)).body).toEqual({ detail: 'User is inactive', code: 'user_inactive' });
    });

    it('a revoked Token key', async () => {
      const login = await a.http.post('/auth/login/', {
        email: 'bob@example.com',
        password: 'bob-pass-12345',
      });
      const auth = { Authorization: `Token ${login.body.key}` };
      const user = (app: TestApp) => app.http.get('/authentication/user/', { headers: auth });
      expect((await user(a)).status).toBe(200);
      expect((await user(b)).status).toBe(200);

      expect((await a.http.post('/auth/logout/', {}, { headers: auth })).status).toBe(200);
      const here = await user(a);
      expect(here.status).toBe(401);
      expect(here.body).toEqual({ detail: 'Invalid token.' });
      const elapsed = await refusedWithin(bound, async () => (await user(b)).status === 401);
      expect(elapsed).toBeLessThanOrEqual(bound);
      expect((await user(b)).body).toEqual({ detail: 'Invalid token.' });
    });
  });
}

describe('the user cache across two instances', () => {
  // Without Redis: the other instance may serve the old state for USER_CACHE_TTL (2 s).
  twoInstances('without Redis, within USER_CACHE_TTL', { USER_CACHE_TTL: '2' }, 2000 + 1500);

  // With Redis: a TTL of a minute, so only the published invalidation can explain a refusal.
  (hasRedis ? describe : describe.skip)('with Redis', () => {
    twoInstances('at once', { USER_CACHE_TTL: '60', REDIS_URL }, 1000);
  });
});
