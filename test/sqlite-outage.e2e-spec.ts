import Sqlite from 'better-sqlite3';
import { UsersService } from '../src/accounts/users.service';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';
const DRF_UNAVAILABLE = { detail: 'Service temporarily unavailable, try again later.' };
const FASTAPI_UNAVAILABLE = { detail: 'Service Unavailable' };

interface Answer {
  what: string;
  status: number | 'no answer within 5 s';
  body?: unknown;
  retryAfter?: string | null;
}

/**
 * SQLite "away": its file locked by another process (a CLI write, a backup) past the
 * busy timeout. The service, busy with logins on three surfaces and a who-am-I, answers
 * each request normally or 503 in its dialect with Retry-After, within 5 s, and is
 * itself again once the lock goes, without a restart. Always on a SQLite file of its
 * own, whatever DATABASE_URL says (the PostgreSQL ways are database-outage's).
 */
describe('SQLite locked by another process, under load', () => {
  let database: TestDatabase;
  let path: string;
  let t: TestApp;
  let access: string;

  beforeAll(async () => {
    database = await createTestDatabase('');
    path = database.url.slice('sqlite:'.length);
    t = await startTestApp({
      database,
      env: { USER_CACHE_TTL: '0', ARGON2_MEMORY_COST: '8192', ARGON2_TIME_COST: '1' },
    });
    await t.app
      .get(UsersService)
      .create({ email: 'load@example.com', username: 'load', password: PASSWORD });
    access = (await t.http.post('/api/token/', { email: 'load@example.com', password: PASSWORD }))
      .body.access;
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  const within5s = (path: string, init: RequestInit = {}) =>
    fetch(t.baseUrl + path, { ...init, signal: AbortSignal.timeout(5000) });
  const post = (path: string, body: string, type = 'application/json') =>
    within5s(path, { method: 'POST', headers: { 'content-type': type }, body });
  const credentials = JSON.stringify({ email: 'load@example.com', password: PASSWORD });

  const requests: [string, () => Promise<Response>, 'drf' | 'fastapi'][] = [
    ['SimpleJWT login', () => post('/api/token/', credentials), 'drf'],
    [
      'fastapi-users login',
      () =>
        post(
          '/auth/jwt/login',
          new URLSearchParams({ username: 'load@example.com', password: PASSWORD }).toString(),
          'application/x-www-form-urlencoded',
        ),
      'fastapi',
    ],
    ['dj-rest-auth login', () => post('/auth/login/', credentials), 'drf'],
    [
      'djoser who-am-I',
      () => within5s('/accounts/auth/users/me/', { headers: { authorization: `JWT ${access}` } }),
      'drf',
    ],
  ];

  /** Three clients at once through the mix, for 2 s of them while `lock`'s lock holds; every answer. */
  async function through(lock: (db: Sqlite.Database) => void): Promise<Answer[]> {
    const answers: Answer[] = [];
    let running = true;
    const worker = async (offset: number) => {
      for (let i = offset; running; i++) {
        const [what, send, dialect] = requests[i % requests.length];
        try {
          const res = await send();
          answers.push({
            what: `${what} (${dialect})`,
            status: res.status,
            body: await res.json().catch(() => undefined),
            retryAfter: res.headers.get('retry-after'),
          });
        } catch {
          answers.push({ what, status: 'no answer within 5 s' });
        }
      }
    };
    const load = Promise.all([0, 1, 2].map(worker));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Same thread as the app: the holder never waits on SQLite's busy handler (that would
    // stop the app finishing the transaction it holds), it tries again a little later.
    const holder = new Sqlite(path, { timeout: 0 });
    try {
      for (;;) {
        try {
          lock(holder);
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
          if (holder.inTransaction) holder.exec('ROLLBACK');
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      holder.close(); // the lock goes with the connection
    }
    running = false;
    await load;
    return answers;
  }

  function expectNoServerErrors(answers: Answer[]): void {
    const wrong = answers.filter((answer) => {
      if (answer.status === 200) return false;
      if (answer.status !== 503) return true;
      const expected = answer.what.endsWith('(fastapi)') ? FASTAPI_UNAVAILABLE : DRF_UNAVAILABLE;
      return JSON.stringify(answer.body) !== JSON.stringify(expected) || answer.retryAfter !== '5';
    });
    expect(wrong).toEqual([]);
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
  }

  async function expectHealedWithin5s(): Promise<void> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const statuses = await Promise.all(requests.map(([, send]) => send().then((r) => r.status)));
      if (statuses.every((status) => status === 200)) return;
      if (Date.now() > deadline) expect(statuses).toEqual(statuses.map(() => 200));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('writes locked: another process holds the write lock (BEGIN EXCLUSIVE)', async () => {
    const answers = await through((db) => {
      db.exec('BEGIN EXCLUSIVE');
      db.prepare("UPDATE users SET last_name = 'held' WHERE email = ?").run('load@example.com');
    });
    expectNoServerErrors(answers);
    // Reads go on beside the writer (WAL): the who-am-I never failed.
    expect(answers.filter((a) => a.what.startsWith('djoser') && a.status !== 200)).toEqual([]);
    await expectHealedWithin5s();
  }, 60_000);
});
