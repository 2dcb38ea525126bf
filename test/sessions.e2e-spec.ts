import { DataSource } from 'typeorm';
import { UsersService } from '../src/accounts/users.service';
import { AuthEvent } from '../src/audit/auth-event.entity';
import { SessionsService } from '../src/sessions/sessions.service';
import { cookieValue } from './support/cookies';
import { REDIS_URL, detectRedis } from './support/redis';
import { postgresServer } from './support/services';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jwt = (access: string) => ({ headers: { authorization: `JWT ${access}` } });
const bearer = (access: string) => ({ headers: { authorization: `Bearer ${access}` } });
const token = (key: string) => ({ headers: { authorization: `Token ${key}` } });

/** Polls until `refused` holds; how long it took, or Infinity past `limit` ms. */
async function refusedWithin(limit: number, refused: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (Date.now() - start <= limit) {
    if (await refused()) return Date.now() - start;
    await sleep(25);
  }
  return Infinity;
}

describe('sessions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        ROTATE_REFRESH_TOKENS: 'true',
        BLACKLIST_AFTER_ROTATION: 'true',
        REFRESH_REUSE_GRACE: '1',
      },
    });
  });
  afterAll(() => t.close());

  async function user(email: string) {
    return t.app.get(UsersService).create({ email, password: PASSWORD });
  }

  it('every login is a session, listed newest first; access and refresh tokens carry its sid', async () => {
    const owner = await user('lister@example.com');
    const pair = await t.http.post('/api/token/', { email: owner.email, password: PASSWORD });
    const key = await t.http.post('/auth/login/', { email: owner.email, password: PASSWORD });
    const sessions = await t.app.get(SessionsService).listForUser(owner.id);
    expect(sessions.map((s) => [s.kind, s.surface])).toEqual([
      ['token', 'rest-auth'],
      ['jwt', 'simplejwt'],
    ]);
    const sid = (jwtText: string) =>
      JSON.parse(Buffer.from(jwtText.split('.')[1], 'base64url').toString()).sid;
    expect(sid(pair.body.access)).toBe(sessions[1].id);
    expect(sid(pair.body.refresh)).toBe(sessions[1].id);
    // dj-rest-auth's key and pair of one login share its session.
    expect(sid(key.body.access_token)).toBe(sessions[0].id);
    expect(sessions[0].userAgent).toEqual(expect.any(String));
    expect(sessions[0].ipAddress).toEqual(expect.any(String));
  });

  it('reuse: A rotated to B, A presented after the grace window → 401, and B is refused too', async () => {
    const owner = await user('reused@example.com');
    const a = await t.http.post('/api/token/', { email: owner.email, password: PASSWORD });
    const b = await t.http.post('/api/token/refresh/', { refresh: a.body.refresh });
    expect(b.status).toBe(200);
    await sleep(1100);

    const replay = await t.http.post(
      '/api/token/refresh/',
      { refresh: a.body.refresh },
      { headers: { 'user-agent': 'thief/1.0' } },
    );
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    const successor = await t.http.post('/api/token/refresh/', { refresh: b.body.refresh });
    expect(successor.status).toBe(401);
    expect(successor.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    // The session's access tokens die with it.
    const me = await t.http.get('/accounts/auth/users/me/', jwt(b.body.access));
    expect(me.status).toBe(401);
    expect(await t.app.get(SessionsService).listForUser(owner.id)).toEqual([]);

    const events = t.app.get(DataSource).getRepository(AuthEvent);
    let recorded: AuthEvent | null = null;
    await refusedWithin(3000, async () => {
      recorded = await events.findOneBy({ type: 'token.reuse_detected', userId: owner.id });
      return recorded !== null;
    });
    expect(recorded).toMatchObject({
      outcome: 'failure',
      surface: 'simplejwt',
      userAgent: 'thief/1.0',
      address: expect.any(String),
    });
  });

  it('within the grace window concurrent refreshes with A all get the same successor', async () => {
    const owner = await user('two-tabs@example.com');
    const a = await t.http.post('/api/token/', { email: owner.email, password: PASSWORD });
    // Staggered by a millisecond each, so that some land in every step of the winner's
    // rotation: some read the record before it is rotated and check the blacklist after.
    const paths = ['/api/token/refresh/', '/auth/token/refresh/'];
    const results = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        await sleep(i);
        return t.http.post(paths[i % paths.length], { refresh: a.body.refresh });
      }),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(new Set(results.map((r) => r.body.refresh)).size).toBe(1);
    // The successor is a live token of the same session.
    const next = await t.http.post('/api/token/refresh/', { refresh: results[0].body.refresh });
    expect(next.status).toBe(200);
  });

  it('deactivate, re-activate: every credential issued before answers 401 on every surface', async () => {
    const owner = await user('returning@example.com');
    const login = { email: owner.email, password: PASSWORD };
    const pair = await t.http.post('/api/token/', login);
    const restAuth = await t.http.post('/auth/login/', login);
    const fastapi = await t.http.request('POST', '/auth/jwt/login', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${encodeURIComponent(owner.email)}&password=${PASSWORD}`,
    });
    expect(fastapi.status).toBe(200);
    const hijack = await t.http.get(`/auth/hijack/?token=${restAuth.body.key}`);
    const cookie = cookieValue(hijack.headers.getSetCookie(), 'sessionid');
    expect(cookie).toBeDefined();
    const dashboard = () =>
      t.http.get('/dashboard/', { headers: { cookie: `sessionid=${cookie}` } });
    expect((await dashboard()).status).toBe(200);

    const users = t.app.get(UsersService);
    await users.update(owner, { isActive: false });
    await users.update(owner, { isActive: true });

    const me = await t.http.get('/accounts/auth/users/me/', jwt(pair.body.access));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('token_not_valid');
    const refreshed = await t.http.post('/api/token/refresh/', { refresh: pair.body.refresh });
    expect(refreshed.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    const keyed = await t.http.get('/authentication/user/', token(restAuth.body.key));
    expect(keyed.status).toBe(401);
    expect(keyed.body).toEqual({ detail: 'Invalid token.' });
    const restJwt = await t.http.get('/auth/user/', jwt(restAuth.body.access_token));
    expect(restJwt.status).toBe(401);
    const fastapiMe = await t.http.get('/users/me', bearer(fastapi.body.access_token));
    expect(fastapiMe.status).toBe(401);
    expect(fastapiMe.body).toEqual({ detail: 'Unauthorized' });
    expect((await dashboard()).status).not.toBe(200);
    expect(await t.app.get(SessionsService).listForUser(owner.id)).toEqual([]);

    // A new login after the re-activation works.
    await sleep(1000);
    const fresh = await t.http.post('/api/token/', login);
    expect((await t.http.get('/accounts/auth/users/me/', jwt(fresh.body.access))).status).toBe(200);
  });

  it('a logout kills its access JWT at once (fastapi-users, dj-rest-auth)', async () => {
    const owner = await user('leaver@example.com');
    const fastapi = await t.http.request('POST', '/auth/jwt/login', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${encodeURIComponent(owner.email)}&password=${PASSWORD}`,
    });
    const auth = bearer(fastapi.body.access_token);
    expect((await t.http.get('/users/me', auth)).status).toBe(200);
    expect((await t.http.post('/auth/jwt/logout', {}, auth)).status).toBe(204);
    expect((await t.http.get('/users/me', auth)).status).toBe(401);

    const restAuth = await t.http.post('/auth/login/', {
      email: owner.email,
      password: PASSWORD,
    });
    const access = jwt(restAuth.body.access_token);
    expect((await t.http.get('/auth/user/', access)).status).toBe(200);
    const out = await t.http.post('/auth/logout/', { refresh: restAuth.body.refresh_token });
    expect(out.status).toBe(200);
    const after = await t.http.get('/auth/user/', access);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('token_not_valid');
    // The key of the same login went with its session.
    expect((await t.http.get('/authentication/user/', token(restAuth.body.key))).status).toBe(401);
  });

  it('end, endAllExcept: one session, or all but the caller’s; another user’s id is not ended', async () => {
    const owner = await user('many@example.com');
    const other = await user('other@example.com');
    const logins = [];
    for (let i = 0; i < 3; i++) {
      logins.push(await t.http.post('/api/token/', { email: owner.email, password: PASSWORD }));
    }
    const otherLogin = await t.http.post('/api/token/', {
      email: other.email,
      password: PASSWORD,
    });
    const sessions = t.app.get(SessionsService);
    const [newest, middle, oldest] = await sessions.listForUser(owner.id);
    const [otherSession] = await sessions.listForUser(other.id);
    expect(await sessions.end(owner.id, otherSession.id, 'revoked')).toBe(false);
    expect(await sessions.end(owner.id, oldest.id, 'revoked')).toBe(true);
    expect(await sessions.end(owner.id, oldest.id, 'revoked')).toBe(false);
    expect((await t.http.get('/accounts/auth/users/me/', jwt(logins[0].body.access))).status).toBe(
      401,
    );

    expect(await sessions.endAllExcept(owner.id, newest.id, 'others_revoked')).toBe(1);
    expect((await sessions.listForUser(owner.id)).map((s) => s.id)).toEqual([newest.id]);
    expect((await t.http.get('/accounts/auth/users/me/', jwt(logins[1].body.access))).status).toBe(
      401,
    );
    expect((await t.http.get('/accounts/auth/users/me/', jwt(logins[2].body.access))).status).toBe(
      200,
    );
    expect((await t.http.get('/accounts/auth/users/me/', jwt(otherLogin.body.access))).status).toBe(
      200,
    );
    expect(middle.id).not.toBe(newest.id);
    expect(await sessions.endAll(owner.id, 'revoked')).toBe(1);
  });
});

const postgres = postgresServer();
const hasRedis = detectRedis();

(postgres && hasRedis ? describe : describe.skip)(
  'sessions across two instances on PostgreSQL and Redis',
  () => {
    let database: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    const env = {
      REDIS_URL,
      REDIS_PREFIX: `gh-sessions-${process.pid}-${Date.now()}`,
      // A minute of user cache: only the published revocation can explain a refusal.
      USER_CACHE_TTL: '60',
    };

    beforeAll(async () => {
      database = await createTestDatabase(postgres);
      a = await startTestApp({ database, env });
      b = await startTestApp({ database, env });
    }, 60_000);
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await database?.drop();
    });

    it('a session ended on one is refused on the other within a second', async () => {
      const owner = await a.app
        .get(UsersService)
        .create({ email: 'roaming@example.com', password: PASSWORD });
      const pair = await a.http.post('/api/token/', { email: owner.email, password: PASSWORD });
      const key = await a.http.post('/auth/login/', { email: owner.email, password: PASSWORD });
      const me = () => b.http.get('/accounts/auth/users/me/', jwt(pair.body.access));
      const keyed = () => b.http.get('/authentication/user/', token(key.body.key));
      // B has the user and the key in its cache.
      expect((await me()).status).toBe(200);
      expect((await keyed()).status).toBe(200);

      const [keySession, jwtSession] = await a.app.get(SessionsService).listForUser(owner.id);
      expect(await a.app.get(SessionsService).end(owner.id, jwtSession.id, 'revoked')).toBe(true);
      expect(await refusedWithin(1000, async () => (await me()).status === 401)).toBeLessThan(1000);
      expect((await keyed()).status).toBe(200);

      expect(await a.app.get(SessionsService).end(owner.id, keySession.id, 'revoked')).toBe(true);
      expect(await refusedWithin(1000, async () => (await keyed()).status === 401)).toBeLessThan(
        1000,
      );
      expect((await keyed()).body).toEqual({ detail: 'Invalid token.' });
    });
  },
);
