import { DataSource } from 'typeorm';
import { UsersService } from '../src/accounts/users.service';
import { AuthEvent } from '../src/audit/auth-event.entity';
import { AuditService } from '../src/audit/audit.service';
import { runCli } from './support/processes';
import { startTestApp, type TestApp, TEST_JWT_SECRET } from './support/test-app';

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
