import { UsersService } from '../src/accounts/users.service';
import { runCli } from './support/processes';
import {
  type DjangoClients,
  djangoSide,
  hasLegacyPython,
  type LegacyDatabaseFixture,
  makeLegacyDatabase,
} from './support/legacy';
import { startTestApp, type TestApp, testEnvironment } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const describeLegacy = hasLegacyPython ? describe : describe.skip;
const GATEHOUSE_RANGE = 5000;

/** Issue 26: while the legacy Django still signs users up, the two never hand out one id twice. */
describeLegacy('coexistence ids: Gatehouse and the legacy Django each in their own range', () => {
  let database: TestDatabase;
  let legacy: LegacyDatabaseFixture<DjangoClients>;
  let env: Record<string, string>;
  let t: TestApp | undefined;
  const cli = async (args: string[]) => {
    const result = await runCli(args, env);
    expect(result.stderr).not.toMatch(/Error|at .*\.js/);
    expect(result.code).toBe(0);
    return result.stdout;
  };
  const createdId = async (email: string) =>
    (
      JSON.parse(
        await cli(['users:create', '--email', email, '--password', 'Quartz-Zebra-4411', '--json']),
      ) as { id: number }
    ).id;

  beforeAll(async () => {
    database = await createTestDatabase();
    legacy = await makeLegacyDatabase<DjangoClients>('django', database.kind);
    env = testEnvironment(database.url, {
      JWT_SECRET: legacy.clients.secret_key,
      USER_ID_START: String(GATEHOUSE_RANGE),
    });
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await database?.drop();
    await legacy?.drop();
  });

  const imported = () => legacy.clients.users;
  const highestImported = () => Math.max(...imported().map((u) => u.id));

  it('imports the legacy ids as they are; the first user Gatehouse makes gets USER_ID_START', async () => {
    expect(await cli(['import:django', '--database-url', legacy.url])).toContain('created 7');
    expect(highestImported()).toBeLessThan(GATEHOUSE_RANGE);
    expect(await createdId('native-one@example.com')).toBe(GATEHOUSE_RANGE);
  });

  it('a user the legacy Django signs up later comes over by trickle with its legacy id, beside Gatehouse’s', async () => {
    const late = await djangoSide<{ id: number }>(
      'create-user',
      legacy.url,
      'latecomer',
      'latecomer@example.com',
      'Latecomer-Legacy-Pass-8',
    );
    expect(late.id).toBeGreaterThan(highestImported());
    expect(late.id).toBeLessThan(GATEHOUSE_RANGE);

    t = await startTestApp({
      database,
      env: {
        JWT_SECRET: legacy.clients.secret_key,
        USER_ID_START: String(GATEHOUSE_RANGE),
        LEGACY_DJANGO_DATABASE_URL: legacy.url,
      },
    });
    const lateLogin = await t.http.post('/api/token/', {
      email: 'latecomer@example.com',
      password: 'Latecomer-Legacy-Pass-8',
    });
    expect(lateLogin.status).toBe(200);
    const users = t.app.get(UsersService);
    expect((await users.findByEmail('latecomer@example.com'))?.id).toBe(late.id);

    // A trickle import of a low id does not pull Gatehouse's sequence back into the legacy range.
    const native = await users.create({
      email: 'native-two@example.com',
      password: 'Quartz-Zebra-4412',
    });
    expect(native.id).toBe(GATEHOUSE_RANGE + 1);
    const nativeLogin = await t.http.post('/api/token/', {
      email: 'native-two@example.com',
      password: 'Quartz-Zebra-4412',
    });
    expect(nativeLogin.status).toBe(200);

    // Each token names its own user, and nobody was written over.
    for (const [login, email, id] of [
      [lateLogin, 'latecomer@example.com', late.id],
      [nativeLogin, 'native-two@example.com', native.id],
    ] as const) {
      const me = await t.http.get('/auth/user/', {
        headers: { Authorization: `Bearer ${login.body.access}` },
      });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ pk: id, email });
    }
    for (const user of imported()) {
      expect((await users.findById(user.id))?.email).toBe(user.email);
    }
    expect((await users.findById(GATEHOUSE_RANGE))?.email).toBe('native-one@example.com');
  });
});

describeLegacy(
  'coexistence ids without USER_ID_START: a million above the highest imported id',
  () => {
    it('starts Gatehouse’s ids there after an import, and a re-import never moves them back', async () => {
      const database = await createTestDatabase();
      const legacy = await makeLegacyDatabase<DjangoClients>('django', database.kind);
      try {
        const env = testEnvironment(database.url, { JWT_SECRET: legacy.clients.secret_key });
        const run = async (args: string[]) => {
          const result = await runCli(args, env);
          expect(result.code).toBe(0);
          return result.stdout;
        };
        const create = async (email: string) =>
          (
            JSON.parse(
              await run([
                'users:create',
                '--email',
                email,
                '--password',
                'Quartz-Zebra-4411',
                '--json',
              ]),
            ) as { id: number }
          ).id;
        await run(['import:django', '--database-url', legacy.url]);
        const [{ max }] = await database.query<{ max: number }>('SELECT MAX(id) AS max FROM users');
        expect(await create('first@example.com')).toBe(Number(max) + 1_000_000);
        await run(['import:django', '--database-url', legacy.url]);
        expect(await create('second@example.com')).toBe(Number(max) + 1_000_001);
      } finally {
        await database.drop();
        await legacy.drop();
      }
    }, 180_000);
  },
);
