import { DataSource } from 'typeorm';
import { UsersService } from '../src/accounts/users.service';
import { AuthEvent } from '../src/audit/auth-event.entity';
import { AuditService } from '../src/audit/audit.service';
import { cookieValue } from './support/cookies';
import { type DjangoClients, hasLegacyPython, makeLegacyDatabase } from './support/legacy';
import { runCli } from './support/processes';
import { startTestApp, type TestApp, TEST_JWT_SECRET, testEnvironment } from './support/test-app';
import { MailService } from '../src/mail/mail.service';

/** The audit trail: auth_events, its staff API, the CLI tail and retention. */
const PASSWORD = 'Audit-Pass-123';
const WRONG = 'Not-The-Password-9';
const AGENT = 'AuditAgent/1.0 (e2e)';

describe('the audit trail of authentication events', () => {
  let t: TestApp;
  let staffAccess: string;
  let userId: number;
  let userAccess: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'true', AUDIT_RETENTION_DAYS: '30' } });
    const users = t.app.get(UsersService);
    await users.create({ email: 'staff@example.com', password: PASSWORD, isStaff: true });
    userId = (await users.create({ email: 'user@example.com', password: PASSWORD })).id;

    const failed = await t.http.post(
      '/api/token/',
      { email: 'user@example.com', password: WRONG },
      { headers: { 'x-forwarded-for': '198.51.100.7', 'user-agent': AGENT } },
    );
    expect(failed.status).toBe(401);
    const ok = await t.http.post(
      '/api/token/',
      { email: 'user@example.com', password: PASSWORD },
      { headers: { 'x-forwarded-for': '203.0.113.9', 'user-agent': AGENT } },
    );
    expect(ok.status).toBe(200);
    userAccess = ok.body.access as string;
    const staff = await t.http.post('/api/token/', {
      email: 'staff@example.com',
      password: PASSWORD,
    });
    staffAccess = staff.body.access as string;
  });
  afterAll(() => t.close());

  const asStaff = (path: string) =>
    t.http.get(path, { headers: { authorization: `Bearer ${staffAccess}` } });

  it('lists a failed and a successful login with address and user agent, newest first', async () => {
    const res = await asStaff('/api/auth-events/?type=login');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 3, next: null, previous: null });
    const [staff, success, failure] = res.body.results;
    expect(staff).toMatchObject({ type: 'login', outcome: 'success', address: '127.0.0.1' });
    expect(success).toMatchObject({
      type: 'login',
      outcome: 'success',
      user: userId,
      surface: 'simplejwt',
      address: '203.0.113.9',
      user_agent: AGENT,
    });
    expect(failure).toMatchObject({
      type: 'login',
      outcome: 'failure',
      identifier: 'user@example.com',
      surface: 'simplejwt',
      reason: 'bad_credentials',
      address: '198.51.100.7',
      user_agent: AGENT,
    });
    expect(Date.parse(failure.occurred_at)).toBeLessThanOrEqual(Date.parse(success.occurred_at));
    const mine = await asStaff(`/api/auth-events/?user=${userId}`);
    expect(mine.body.results).toEqual([success]);
  });

  it('filters by outcome and time, and refuses bad filters in DRF’s dialect', async () => {
    const failures = await asStaff('/api/auth-events/?outcome=failure');
    expect(failures.body.results.every((e: { outcome: string }) => e.outcome === 'failure')).toBe(
      true,
    );
    const future = await asStaff('/api/auth-events/?after=2999-01-01T00:00:00Z');
    expect(future.body).toEqual({ count: 0, next: null, previous: null, results: [] });
    const bad = await asStaff('/api/auth-events/?outcome=maybe&user=x&after=yesterday');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body).sort()).toEqual(['after', 'outcome', 'user']);
  });

  it('is for staff only: a user gets 403, an anonymous client 401', async () => {
    const user = await t.http.get('/api/auth-events/', {
      headers: { authorization: `Bearer ${userAccess}` },
    });
    expect(user.status).toBe(403);
    expect(user.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    expect((await t.http.get('/api/auth-events/')).status).toBe(401);
  });

  it('holds no password, token or key', async () => {
    const all = await asStaff('/api/auth-events/?page_size=100');
    for (const secret of [PASSWORD, WRONG, userAccess, staffAccess, TEST_JWT_SECRET]) {
      expect(all.text).not.toContain(secret);
    }
  });

  it('tails the events from the CLI', async () => {
    await t.app.get(AuditService).flush();
    const tail = await runCli(['events:tail', '--limit', '5'], {
      DATABASE_URL: t.database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      DATA_DIR: t.config.dataDir,
      LOG_LEVEL: 'silent',
    });
    expect(tail.code).toBe(0);
    expect(tail.stdout).toMatch(/ login failure identifier="user@example.com" surface="simplejwt"/);
    expect(tail.stdout).toContain('address="198.51.100.7"');
    expect(tail.stdout).not.toContain(WRONG);
  });

  it('prunes events older than AUDIT_RETENTION_DAYS', async () => {
    const audit = t.app.get(AuditService);
    audit.record({ type: 'login', outcome: 'success', userId });
    await audit.flush();
    const repository = t.app.get(DataSource).getRepository(AuthEvent);
    const before = await repository.count();
    // 31 days from now, every event recorded so far is past the 30-day retention.
    const removed = await audit.prune(Date.now() + 31 * 86400_000);
    expect(removed).toBe(before);
    expect(await repository.count()).toBe(0);
  });
});

describe('the audit trail of refreshes, Token keys, link logins and imports', () => {
  let t: TestApp;
  let userId: number;
  let staffAccess: string;
  /** Every secret a client or the operator held during the flow. */
  const secrets: string[] = [PASSWORD, WRONG, TEST_JWT_SECRET];
  const client = (address: string) => ({
    headers: { 'x-forwarded-for': address, 'user-agent': AGENT },
  });
  const rows = async () => {
    await t.app.get(AuditService).flush();
    return t.app
      .get(DataSource)
      .getRepository(AuthEvent)
      .find({ order: { id: 'ASC' } });
  };
  const ofType = async (type: string) => (await rows()).filter((row) => row.type === type);

  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'true' } });
    const users = t.app.get(UsersService);
    userId = (await users.create({ email: 'events@example.org', password: PASSWORD })).id;
    await users.create({ email: 'auditor@example.org', password: PASSWORD, isStaff: true });
    staffAccess = (
      await t.http.post('/api/token/', { email: 'auditor@example.org', password: PASSWORD })
    ).body.access as string;
    secrets.push(staffAccess);
  });
  afterAll(() => t.close());

  it('records the Token key a dj-rest-auth login mints, and each refresh on its surface', async () => {
    const login = await t.http.post(
      '/auth/login/',
      { email: 'events@example.org', password: PASSWORD },
      client('192.0.2.10'),
    );
    expect(login.status).toBe(200);
    const { key, access_token: access, refresh_token: refresh } = login.body;
    secrets.push(key, access, refresh);
    const [created] = await ofType('token_key_created');
    expect(created).toMatchObject({
      outcome: 'success',
      userId,
      surface: 'rest-auth',
      reason: 'login',
      address: '192.0.2.10',
      userAgent: AGENT,
    });

    const paths = {
      simplejwt: '/api/token/refresh/',
      djoser: '/accounts/auth/jwt/refresh/',
      'rest-auth': '/auth/token/refresh/',
    };
    for (const [surface, path] of Object.entries(paths)) {
      const refreshed = await t.http.post(path, { refresh }, client('192.0.2.11'));
      expect({ surface, status: refreshed.status }).toEqual({ surface, status: 200 });
      secrets.push(refreshed.body.access);
    }
    const forged = `${refresh.slice(0, -4)}AAAA`;
    secrets.push(forged);
    expect(
      (await t.http.post('/api/token/refresh/', { refresh: forged }, client('192.0.2.12'))).status,
    ).toBe(401);

    const refreshes = await ofType('token_refresh');
    expect(refreshes.map((row) => [row.surface, row.outcome, row.userId, row.reason])).toEqual([
      ['simplejwt', 'success', userId, null],
      ['djoser', 'success', userId, null],
      ['rest-auth', 'success', userId, null],
      ['simplejwt', 'failure', null, 'token_not_valid'],
    ]);
    for (const row of refreshes) expect(row.userAgent).toBe(AGENT);
    expect(refreshes.at(-1)!.address).toBe('192.0.2.12');
  });

  it('records hijack and login-link uses, let in or refused, the links made, and the dashboard logout', async () => {
    const key = (
      await t.http.post('/auth/login/', { email: 'events@example.org', password: PASSWORD })
    ).body.key as string;
    secrets.push(key);
    const hijack = await t.http.get(`/auth/hijack/?token=${key}`, client('192.0.2.20'));
    expect(hijack.status).toBe(302);
    const session = cookieValue(hijack.headers.getSetCookie(), 'sessionid')!;
    secrets.push(session);
    const unknown = 'f'.repeat(40);
    secrets.push(unknown);
    await t.http.get(`/auth/hijack/?token=${unknown}`, client('192.0.2.21'));

    const link = await t.http.post('/auth/login-link/', undefined, {
      headers: { authorization: `Token ${key}`, ...client('192.0.2.25').headers },
    });
    expect(link.status).toBe(200);
    const url = new URL(link.body.url as string);
    secrets.push(link.body.url, url.searchParams.get('ticket')!);
    const used = await t.http.get(url.pathname + url.search, client('192.0.2.22'));
    expect(used.status).toBe(302);
    expect(used.headers.get('location')).toBe('/dashboard/');
    await t.http.get(url.pathname + url.search, client('192.0.2.23'));

    const links = (await rows()).filter((row) =>
      ['hijack', 'login_link', 'login_link_issued'].includes(row.type),
    );
    expect(links.map((row) => [row.type, row.outcome, row.userId, row.address])).toEqual([
      ['hijack', 'success', userId, '192.0.2.20'],
      ['hijack', 'failure', null, '192.0.2.21'],
      ['login_link_issued', 'success', userId, '192.0.2.25'],
      ['login_link', 'success', userId, '192.0.2.22'],
      ['login_link', 'failure', null, '192.0.2.23'],
    ]);
    for (const row of links) expect(row).toMatchObject({ surface: 'dashboard', userAgent: AGENT });

    const page = await t.http.get('/dashboard/', { headers: { cookie: `sessionid=${session}` } });
    const csrf = cookieValue(page.headers.getSetCookie(), 'csrftoken')!;
    const out = await t.http.request('POST', '/dashboard/logout/', {
      headers: {
        cookie: `sessionid=${session}; csrftoken=${csrf}`,
        'content-type': 'application/x-www-form-urlencoded',
        ...client('192.0.2.24').headers,
      },
      body: `csrfmiddlewaretoken=${csrf}`,
    });
    expect(out.status).toBe(302);
    const logouts = (await ofType('logout')).filter((row) => row.surface === 'dashboard');
    expect(logouts).toEqual([
      expect.objectContaining({ userId, address: '192.0.2.24', userAgent: AGENT }),
    ]);
  });

  it('records a reset request prepared after the answer with the client that asked', async () => {
    const asked = await t.http.post(
      '/auth/password/reset/',
      { email: 'events@example.org' },
      client('192.0.2.30'),
    );
    expect(asked.status).toBe(200);
    // The mail (and its event) are prepared after the answer; wait for them.
    await t.app.get(MailService).idle();
    expect(await ofType('password_reset_requested')).toEqual([
      expect.objectContaining({ userId, address: '192.0.2.30', userAgent: AGENT }),
    ]);
  });

  it('records a key minted by tokens:create, with no address (no request made it)', async () => {
    await t.app.get(AuditService).flush();
    const created = await runCli(
      ['tokens:create', '--email', 'events@example.org', '--name', 'ci'],
      testEnvironment(t.database.url, { DATA_DIR: t.config.dataDir }),
    );
    expect(created.code).toBe(0);
    secrets.push(created.stdout.trim());
    const cli = (await ofType('token_key_created')).filter((row) => row.reason === 'cli');
    expect(cli).toEqual([
      expect.objectContaining({ userId, surface: null, address: null, userAgent: null }),
    ]);
  });

  (hasLegacyPython ? it : it.skip)(
    'records one summary event per import run, with its counts (none for a dry run)',
    async () => {
      const legacy = await makeLegacyDatabase<DjangoClients>('django', 'sqlite');
      try {
        for (const user of legacy.clients.users) {
          for (const secret of [
            user.password,
            user.token_key,
            user.access,
            user.refresh,
            user.reset_token,
          ])
            if (secret) secrets.push(secret);
        }
        secrets.push(legacy.clients.secret_key);
        const env = testEnvironment(t.database.url, { DATA_DIR: t.config.dataDir });
        const run = await runCli(['import:django', '--database-url', legacy.url], env);
        expect(run.code).toBe(0);
        const dry = await runCli(['import:django', '--database-url', legacy.url, '--dry-run'], env);
        expect(dry.code).toBe(0);
        // The counts the operator was told, as the event keeps them.
        const [, created, updated, unchanged, skipped] =
          /created (\d+), updated (\d+), unchanged (\d+), skipped (\d+)/.exec(run.stdout)!;
        expect(Number(created) + Number(updated)).toBeGreaterThan(0);
        expect(await ofType('import')).toEqual([
          expect.objectContaining({
            outcome: 'success',
            reason: 'django',
            details: `created=${created} updated=${updated} unchanged=${unchanged} skipped=${skipped}`,
            userId: null,
            address: null,
          }),
        ]);
      } finally {
        await legacy.drop();
      }
    },
    180_000,
  );

  it('holds none of the passwords, tokens, keys, tickets or links it saw, in any column', async () => {
    expect(secrets.length).toBeGreaterThan(15);
    const all = JSON.stringify(await rows());
    expect(all).toContain('token_refresh');
    for (const secret of secrets)
      expect({ secret, found: all.includes(secret) }).toEqual({ secret, found: false });
    const api = await t.http.get('/api/auth-events/?page_size=100', {
      headers: { authorization: `Bearer ${staffAccess}` },
    });
    expect(api.body.results[0]).toHaveProperty('details');
  });
});
