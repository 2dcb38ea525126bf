import { runCli } from './support/processes';
import {
  type DjangoClients,
  djangoSide,
  hasLegacyPython,
  type LegacyDatabaseFixture,
  makeEmptyDjangoDatabase,
  makeLegacyDatabase,
} from './support/legacy';
import { startTestApp, testEnvironment } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

interface Authenticated {
  username: string;
  authenticated: boolean;
  id: number | null;
  hash_before: string | null;
  verified: boolean;
}

const describeLegacy = hasLegacyPython ? describe : describe.skip;
const ALICE_NEW = 'Alice-Gatehouse-Pass-9';
const NEWCOMER = { email: 'newcomer@example.com', password: 'Newcomer-Quartz-77' };

/**
 * Issue 26: Django → Gatehouse → Django. Users imported from Django, one whose
 * password Gatehouse changed, one whose hash a login upgraded, and one who signed
 * up in Gatehouse, all log in to Debian's Django after `export:django`.
 */
describeLegacy('the way back: import:django, changes in Gatehouse, export:django', () => {
  let legacy: LegacyDatabaseFixture<DjangoClients>;
  let database: TestDatabase;
  let target: { url: string; drop(): Promise<void> };
  let env: Record<string, string>;
  const cli = async (args: string[]) => {
    const result = await runCli(args, env);
    expect([args[0], result.stderr.replace(/^export:django: \d+\/\d+ rows\n/gm, '')]).toEqual([
      args[0],
      '',
    ]);
    expect(result.code).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    legacy = await makeLegacyDatabase<DjangoClients>('django', database.kind);
    target = await makeEmptyDjangoDatabase(database.kind);
    env = testEnvironment(database.url, { JWT_SECRET: legacy.clients.secret_key });
    const imported = await runCli(['import:django', '--database-url', legacy.url], env);
    expect(imported.code).toBe(0);
  }, 240_000);

  afterAll(async () => {
    await database?.drop();
    await legacy?.drop();
    await target?.drop();
  });

  const stored = async (username: string) =>
    (
      await database.query<{ password: string }>('SELECT password FROM users WHERE username = $1', [
        username,
      ])
    )[0].password;

  it("re-hashes a Django user's changed password in Django's own argon2 form", async () => {
    await cli(['users:set-password', '--email', 'alice@example.com', '--password', ALICE_NEW]);
    expect(await stored('alice')).toMatch(
      /^argon2\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
    );
  });

  it("upgrades a Django user's hash at login in Django's form too; a new user gets Gatehouse's", async () => {
    const bob = legacy.clients.users.find((u) => u.username === 'bob')!;
    expect(await stored('bob')).toMatch(/^argon2\$argon2id\$v=19\$m=102400,t=2,p=8\$/);
    const t = await startTestApp({ database, env: { JWT_SECRET: legacy.clients.secret_key } });
    try {
      const login = await t.http.post('/api/token/', { email: bob.email, password: bob.password });
      expect(login.status).toBe(200);
    } finally {
      await t.close();
    }
    expect(await stored('bob')).toMatch(/^argon2\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const created = JSON.parse(
      await cli([
        'users:create',
        '--email',
        NEWCOMER.email,
        '--password',
        NEWCOMER.password,
        '--json',
      ]),
    ) as { id: number; username: string };
    expect(created.username).toBe('newcomer');
    expect(await stored('newcomer')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("writes every user into a fresh Django database, and Debian's Django authenticates them", async () => {
    const summary = JSON.parse(
      await cli(['export:django', '--database-url', target.url, '--json']),
    );
    expect(summary).toEqual({
      created: 8,
      updated: 0,
      skipped: 0,
      email_addresses: 8,
      bcrypt_users: 0,
      token_keys_not_exported: 3,
      sequence_problem: null,
    });
    const byName = (name: string) => legacy.clients.users.find((u) => u.username === name)!;
    const checks: [string, string][] = [
      ['alice', ALICE_NEW],
      ['alice', byName('alice').password!],
      ['bob', byName('bob').password!],
      ['carol', byName('carol').password!],
      ['frank', byName('frank').password!],
      ['newcomer', NEWCOMER.password],
      ['newcomer', `${NEWCOMER.password}x`],
      ['dave', 'anything-at-all'],
      ['erin', byName('erin').password!],
    ];
    const answers = await djangoSide<Authenticated[]>(
      'authenticate',
      target.url,
      JSON.stringify(checks),
    );
    const verdict = answers.map((a) => [a.username, a.authenticated]);
    expect(verdict).toEqual([
      ['alice', true],
      ['alice', false], // the old password is gone
      ['bob', true],
      ['carol', true],
      ['frank', true],
      ['newcomer', true],
      ['newcomer', false],
      ['dave', false], // unusable password
      ['erin', false], // inactive
    ]);
    // Ids are kept, hashes are in Django's encodings, allauth's verified flags hold.
    for (const name of ['alice', 'bob', 'carol', 'frank']) {
      expect(answers.find((a) => a.username === name && a.authenticated)?.id).toBe(byName(name).id);
    }
    const newcomer = answers.find((a) => a.username === 'newcomer')!;
    expect(newcomer.hash_before).toMatch(/^argon2\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(answers.find((a) => a.username === 'alice')!.verified).toBe(true);
    expect(answers.find((a) => a.username === 'carol')!.verified).toBe(false);
    expect(answers.find((a) => a.username === 'dave')!.hash_before).toMatch(/^![A-Za-z0-9]{40}$/);
  });

  it('a second export updates the same rows, and Django signs the next user up after them', async () => {
    const again = JSON.parse(await cli(['export:django', '--database-url', target.url, '--json']));
    expect(again).toMatchObject({ created: 0, updated: 8, skipped: 0 });
    const next = await djangoSide<{ id: number }>(
      'create-user',
      target.url,
      'django-after',
      'after@example.com',
      'After-Export-Pass-1',
    );
    const [{ max }] = await database.query<{ max: number }>('SELECT MAX(id) AS max FROM users');
    expect(next.id).toBeGreaterThan(Number(max));
  });

  it('refuses a database Django never migrated, with a usage message', async () => {
    const result = await runCli(
      ['export:django', '--database-url', `sqlite:${process.cwd()}/no-such-dir/db.sqlite3`],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gatehouse export:django: cannot open /);
  });
});
