import type { HttpClient, HttpResponse } from '../src/testing';
import type { LoggedInClient, LoginScheme, TestUser } from '../src/testing';
import type { SessionView } from '../src/sessions/session-view';
import { runCli } from './support/processes';
import { startTestApp, testEnvironment, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { ME_SURFACES, type MeSurface } from './support/me-surfaces';

const SURFACES = ME_SURFACES;
type Surface = MeSurface;

/** The session kind each login scheme opens. */
const KIND: Partial<Record<LoginScheme, string>> = {
  JWT: 'jwt',
  Token: 'token',
  Bearer: 'fastapi',
};
const NOT_FOUND = { drf: { detail: 'Not found.' }, fastapi: { detail: 'Not Found' } };
const FIELDS = [
  'amr',
  'created',
  'current',
  'id',
  'ip_address',
  'kind',
  'last_used',
  'surface',
  'user_agent',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a <me>/sessions/ entry holds: the surfaces' shared view. */
type Listed = SessionView;

const sessionsPath = (surface: Surface, id?: string) =>
  `${surface.me}/sessions${id ? `/${id}` : ''}${surface.slash}`;

/** The sessions a `<me>/sessions/` answer lists: a DRF page's results, or FastAPI's plain list. */
function listed(surface: Surface, res: HttpResponse): Listed[] {
  expect(res.status).toBe(200);
  if (surface.dialect === 'fastapi') return res.body as Listed[];
  const page = res.body as { count: number; next: null; previous: null; results: Listed[] };
  expect(page).toEqual({
    count: page.results.length,
    next: null,
    previous: null,
    results: expect.any(Array),
  });
  return page.results;
}

/** Where a credential is refused, and how: its surface's "who am I" in its scheme's dialect. */
async function whoAmI(client: LoggedInClient): Promise<HttpResponse> {
  const path = {
    JWT: '/accounts/auth/users/me/',
    Token: '/authentication/user/',
    Bearer: '/users/me',
    cookie: '/auth/user/',
  }[client.scheme];
  return client.get(path);
}

/** A refused credential's answer, as its scheme's library words it. */
function expectRefused(client: LoggedInClient, res: HttpResponse): void {
  expect(res.status).toBe(401);
  if (client.scheme === 'Token') expect(res.body).toEqual({ detail: 'Invalid token.' });
  else if (client.scheme === 'Bearer') expect(res.body).toEqual({ detail: 'Unauthorized' });
  else expect(res.body).toMatchObject({ code: 'token_not_valid' });
}

/** Polls until `check` passes or a second is over: "dead everywhere within a second". */
function withinASecond(check: () => Promise<void>): Promise<void> {
  return within(1000, check);
}

async function within(ms: number, check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('sessions: seeing and ending them on every surface', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One credential per login (a key alone at /auth/login/): three logins are three sessions.
    t = await startTestApp({ database, env: { REST_AUTH_TOKEN: 'key' } });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  /** A phone (djoser JWT), a laptop (dj-rest-auth Token key) and a KYC web app (fastapi-users). */
  async function threeDevices(user: TestUser): Promise<LoggedInClient[]> {
    const clients: LoggedInClient[] = [];
    for (const scheme of ['JWT', 'Token', 'Bearer'] as const) {
      clients.push(await t.loginAs(user, scheme));
    }
    return clients;
  }

  it('lists three logins on three surfaces from each <me>/sessions/, newest first, `current` right', async () => {
    const user = await t.createUser();
    const devices = await threeDevices(user);
    for (const surface of SURFACES) {
      const seen: string[] = [];
      for (const device of devices) {
        const sessions = listed(surface, await device.get(sessionsPath(surface)));
        expect(sessions).toHaveLength(3);
        // Newest first: the fastapi-users login was the last.
        expect(sessions.map((s) => s.kind)).toEqual(['fastapi', 'token', 'jwt']);
        const created = sessions.map((s) => Date.parse(s.created));
        expect([...created].sort((a, b) => b - a)).toEqual(created);
        for (const session of sessions) {
          expect(Object.keys(session).sort()).toEqual(FIELDS);
          expect(session.id).toMatch(UUID);
          expect(new Date(session.created).toISOString()).toBe(session.created);
          for (const field of ['last_used', 'user_agent', 'ip_address'] as const) {
            expect(['string', 'object']).toContain(typeof session[field]);
          }
        }
        const current = sessions.filter((s) => s.current);
        expect(current).toHaveLength(1);
        expect(current[0].kind).toBe(KIND[device.scheme]);
        seen.push(current[0].id);
      }
      // Each device is current in its own session, and the three are the three listed.
      expect(new Set(seen).size).toBe(3);
    }
  });

  it.each(SURFACES)(
    'DELETE $me/sessions/ leaves exactly the caller`s session; every other credential is 401 within a second',
    async (surface) => {
      const user = await t.createUser();
      const caller = await t.loginAs(user, surface.scheme);
      // The others: a second phone with a refresh token, a laptop key, a KYC app token.
      const others = [
        await t.loginAs(user, 'JWT'),
        await t.loginAs(user, 'Token'),
        await t.loginAs(user, 'Bearer'),
      ];
      const phone = others[0];
      for (const other of others) expect((await whoAmI(other)).status).toBe(200);

      const ended = await caller.delete(sessionsPath(surface));
      expect([ended.status, ended.text]).toEqual([204, '']);

      const left = listed(surface, await caller.get(sessionsPath(surface)));
      expect(left).toEqual([
        expect.objectContaining({ kind: KIND[surface.scheme], current: true }),
      ]);
      expect((await whoAmI(caller)).status).toBe(200);
      await withinASecond(async () => {
        for (const other of others) expectRefused(other, await whoAmI(other));
      });
      // The other phone's refresh token is dead with its access token.
      const refresh = await t.http.post('/accounts/auth/jwt/refresh/', {
        refresh: phone.credentials.refresh,
      });
      expect(refresh.status).toBe(401);
      expect(refresh.body).toMatchObject({ code: 'token_not_valid' });
    },
  );

  it.each(SURFACES)(
    'DELETE $me/sessions/<id>/ ends that one session; another user`s id is 404, never 403',
    async (surface) => {
      const user = await t.createUser();
      const [phone, laptop, kyc] = await threeDevices(user);
      const caller = { JWT: phone, Token: laptop, Bearer: kyc }[surface.scheme];
      const sessions = listed(surface, await caller.get(sessionsPath(surface)));
      const laptopSession = listed(surface, await laptop.get(sessionsPath(surface))).find(
        (s) => s.current,
      )!;

      const mallory = await t.createUser();
      const intruder = await t.loginAs(mallory, surface.scheme);
      for (const id of [laptopSession.id, laptopSession.id.toUpperCase(), 'not-a-session-id']) {
        const refused = await intruder.delete(sessionsPath(surface, id));
        expect([refused.status, refused.body]).toEqual([404, NOT_FOUND[surface.dialect]]);
      }
      expect((await whoAmI(laptop)).status).toBe(200);

      if (caller !== laptop) {
        const ended = await caller.delete(sessionsPath(surface, laptopSession.id));
        expect([ended.status, ended.text]).toEqual([204, '']);
        await withinASecond(async () => expectRefused(laptop, await whoAmI(laptop)));
        const left = listed(surface, await caller.get(sessionsPath(surface)));
        expect(left.map((s) => s.id)).toEqual(
          sessions.filter((s) => s.id !== laptopSession.id).map((s) => s.id),
        );
        // Ended is ended: the same id again is a 404.
        const again = await caller.delete(sessionsPath(surface, laptopSession.id));
        expect([again.status, again.body]).toEqual([404, NOT_FOUND[surface.dialect]]);
      } else {
        // Ending the current session is a logout.
        const ended = await laptop.delete(sessionsPath(surface, laptopSession.id));
        expect(ended.status).toBe(204);
        await withinASecond(async () => expectRefused(laptop, await whoAmI(laptop)));
        expect((await whoAmI(phone)).status).toBe(200);
      }
    },
  );

  it('asks for a credential, in each dialect', async () => {
    for (const surface of SURFACES) {
      const res = await t.http.get(sessionsPath(surface));
      expect(res.status).toBe(401);
    }
  });

  it('a DRF page: page_size and page links on PUBLIC_URL, a page past the last is 404', async () => {
    const user = await t.createUser();
    const [phone] = await threeDevices(user);
    const first = await phone.get('/accounts/auth/users/me/sessions/?page_size=2');
    expect(first.body).toMatchObject({
      count: 3,
      next: expect.stringMatching(/\/accounts\/auth\/users\/me\/sessions\/\?page_size=2&page=2$/),
      previous: null,
    });
    expect(first.body.results).toHaveLength(2);
    const second = await phone.get('/accounts/auth/users/me/sessions/?page_size=2&page=2');
    expect(second.body.results).toHaveLength(1);
    const past = await phone.get('/accounts/auth/users/me/sessions/?page=9');
    expect([past.status, past.body]).toEqual([404, { detail: 'Invalid page.' }]);
  });

  it('records every ending in auth_events, with its address and user agent', async () => {
    const user = await t.createUser();
    const [phone, laptop] = await threeDevices(user);
    const laptopId = listed(SURFACES[2], await laptop.get('/authentication/user/sessions/')).find(
      (s) => s.current,
    )!.id;
    const agent = { headers: { 'User-Agent': 'DSTOQ/4.2 (iPhone)' } };
    expect(
      (await phone.delete(`/accounts/auth/users/me/sessions/${laptopId}/`, agent)).status,
    ).toBe(204);
    expect((await phone.delete('/accounts/auth/users/me/sessions/', agent)).status).toBe(204);
    const staff = await t.loginAs(await t.createUser({ is_staff: true }), 'JWT');
    expect((await staff.delete(`/api/users/${user.user.id}/sessions/`)).status).toBe(204);
    await withinASecond(async () => {
      const events = await staff.get(`/api/auth-events/?user=${user.user.id}&type=session_ended`);
      const rows = (events.body.results as Record<string, unknown>[]).reverse();
      expect(rows).toEqual([
        expect.objectContaining({
          reason: 'revoked',
          surface: 'djoser',
          details: `count=1 session=${laptopId}`,
          user_agent: 'DSTOQ/4.2 (iPhone)',
          address: expect.any(String),
        }),
        expect.objectContaining({
          reason: 'others_revoked',
          surface: 'djoser',
          details: 'count=1',
          user_agent: 'DSTOQ/4.2 (iPhone)',
        }),
        expect.objectContaining({ reason: 'staff', surface: 'admin', details: 'count=1' }),
      ]);
    });
  });

  describe('staff', () => {
    let admin: HttpClient;
    beforeAll(async () => {
      admin = await t.loginAs(await t.createUser({ is_staff: true }), 'JWT');
    });

    it("GET /api/users/{id}/sessions/ lists a user's sessions; DELETE ends them all", async () => {
      const user = await t.createUser();
      const devices = await threeDevices(user);
      const page = await admin.get(`/api/users/${user.user.id}/sessions/`);
      expect(page.status).toBe(200);
      expect(page.body.count).toBe(3);
      expect((page.body.results as Listed[]).map((s) => [s.kind, s.current])).toEqual([
        ['fastapi', false],
        ['token', false],
        ['jwt', false],
      ]);

      const ended = await admin.delete(`/api/users/${user.user.id}/sessions/`);
      expect([ended.status, ended.text]).toEqual([204, '']);
      await withinASecond(async () => {
        for (const device of devices) expectRefused(device, await whoAmI(device));
      });
      expect((await admin.get(`/api/users/${user.user.id}/sessions/`)).body.count).toBe(0);
      // The account stays: a new login works.
      expect((await whoAmI(await t.loginAs(user, 'Token'))).status).toBe(200);
    });

    it('404 for no such user, 403 for a non-staff caller, and only a superuser ends staff sessions', async () => {
      expect((await admin.get('/api/users/999999/sessions/')).body).toEqual({
        detail: 'Not found.',
      });
      expect((await admin.delete('/api/users/999999/sessions/')).status).toBe(404);

      const user = await t.createUser();
      const plain = await t.loginAs(user, 'JWT');
      const forbidden = await plain.get(`/api/users/${user.user.id}/sessions/`);
      expect(forbidden.status).toBe(403);
      expect((await plain.delete(`/api/users/${user.user.id}/sessions/`)).status).toBe(403);

      const colleague = await t.createUser({ is_staff: true });
      const colleagueClient = await t.loginAs(colleague, 'JWT');
      expect((await admin.delete(`/api/users/${colleague.user.id}/sessions/`)).status).toBe(403);
      expect((await whoAmI(colleagueClient)).status).toBe(200);
      const root = await t.loginAs(
        await t.createUser({ is_superuser: true, is_staff: true }),
        'JWT',
      );
      expect((await root.delete(`/api/users/${colleague.user.id}/sessions/`)).status).toBe(204);
      await withinASecond(async () =>
        expectRefused(colleagueClient, await whoAmI(colleagueClient)),
      );
    });
  });

  describe('CLI', () => {
    const cli = (args: string[]) => runCli(args, testEnvironment(database.url));

    it('sessions:list --email and sessions:revoke --email [--id], with --json', async () => {
      const user = await t.createUser();
      await threeDevices(user);

      const list = await cli(['sessions:list', '--email', user.email, '--json']);
      expect(list.code).toBe(0);
      const sessions = JSON.parse(list.stdout) as Omit<Listed, 'current'>[];
      expect(sessions.map((s) => s.kind)).toEqual(['fastapi', 'token', 'jwt']);
      expect(sessions[0]).not.toHaveProperty('current');
      const text = await cli(['sessions:list', '--email', user.email]);
      expect(text.stdout).toMatch(/^id\s+kind\s+surface\s+created\s+last used/);
      expect(text.stdout).toContain(sessions[1].id);

      const one = await cli([
        'sessions:revoke',
        '--email',
        user.email,
        '--id',
        sessions[1].id,
        '--json',
      ]);
      expect([one.code, JSON.parse(one.stdout)]).toEqual([0, { ended: 1, user_id: user.user.id }]);
      const again = await cli(['sessions:revoke', '--email', user.email, '--id', sessions[1].id]);
      expect([again.code, again.stderr]).toEqual([
        2,
        `gatehouse sessions:revoke: --id: user ${user.user.id} has no live session ${sessions[1].id}\n`,
      ]);
      const left = JSON.parse(
        (await cli(['sessions:list', '--email', user.email, '--json'])).stdout,
      ) as Listed[];
      expect(left.map((s) => s.kind)).toEqual(['fastapi', 'jwt']);

      const all = await cli(['sessions:revoke', '--email', user.email, '--json']);
      expect(JSON.parse(all.stdout)).toEqual({ ended: 2, user_id: user.user.id });
      expect((await cli(['sessions:list', '--email', user.email])).stdout).toBe(
        `user ${user.user.id} has no live session\n`,
      );
      const unknown = await cli(['sessions:list', '--email', 'nobody@example.com']);
      expect(unknown.code).toBe(2);
      // Another process ended them: the running app lists none (its revocation set learns of
      // them through Redis at once, or at its next re-read: two-instances covers that).
      const staffView = await (
        await t.loginAs(await t.createUser({ is_staff: true }), 'JWT')
      ).get(`/api/users/${user.user.id}/sessions/`);
      expect(staffView.body.count).toBe(0);
    });
  });

  describe('throttling', () => {
    let throttled: TestApp;
    beforeAll(async () => {
      throttled = await startTestApp({
        env: {
          DEFAULT_THROTTLE_RATES: 'login=1000/minute,login_address=1000/minute,sessions=2/minute',
        },
      });
    });
    afterAll(() => throttled?.close());

    it('counts <me>/sessions/ per user under the `sessions` scope, 429 in each dialect', async () => {
      const user = await throttled.createUser();
      const phone = await throttled.loginAs(user, 'JWT');
      const kyc = await throttled.loginAs(user, 'Bearer');
      expect((await phone.get('/accounts/auth/users/me/sessions/')).status).toBe(200);
      expect((await kyc.get('/users/me/sessions')).status).toBe(200);
      // One count for the user, whichever surface and credential.
      const drf = await phone.delete('/auth/user/sessions/');
      expect(drf.status).toBe(429);
      expect(drf.body).toEqual({
        detail: expect.stringMatching(
          /^Request was throttled\. Expected available in \d+ seconds?\.$/,
        ),
      });
      expect(drf.headers.get('retry-after')).toMatch(/^\d+$/);
      const fastapi = await kyc.get('/users/me/sessions');
      expect([fastapi.status, fastapi.body]).toEqual([429, { detail: 'Too Many Requests' }]);
      // Another user has a count of their own.
      const other = await throttled.loginAs(await throttled.createUser(), 'Token');
      expect((await other.get('/authentication/user/sessions/')).status).toBe(200);
    });
  });

  describe("dj-rest-auth's JWT cookies", () => {
    let cookies: TestApp;
    beforeAll(async () => {
      cookies = await startTestApp({
        env: { JWT_AUTH_COOKIE: 'jwt-auth', JWT_AUTH_REFRESH_COOKIE: 'jwt-refresh' },
      });
    });
    afterAll(() => cookies?.close());

    it('list and end with the cookies; an unsafe request without the CSRF token is refused', async () => {
      const user = await cookies.createUser();
      const browser = await cookies.loginAs(user, 'cookie');
      const phone = await cookies.loginAs(user, 'JWT');
      const sessions = listed(SURFACES[1], await browser.get('/auth/user/sessions/'));
      // The cookie login (REST_AUTH_TOKEN=both) is one session: its key and its JWT pair.
      expect(sessions.map((s) => [s.kind, s.surface, s.current])).toEqual([
        ['jwt', 'djoser', false],
        ['token', 'rest-auth', true],
      ]);
      const forged = await browser.delete('/auth/user/sessions/', {
        headers: { 'x-csrftoken': 'forged' },
      });
      expect(forged.status).toBe(403);
      expect((await whoAmI(phone)).status).toBe(200);
      expect((await browser.delete('/auth/user/sessions/')).status).toBe(204);
      await withinASecond(async () => expectRefused(phone, await whoAmI(phone)));
      expect((await browser.get('/auth/user/')).status).toBe(200);
    });
  });
});
