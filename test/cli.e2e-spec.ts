import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PasswordHasherService } from '../src/accounts/password-hasher.service';
import { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Sqlite from 'better-sqlite3';
import { runBin, runCli, runCliOnTerminal } from './support/processes';
import { startTestApp, testEnvironment, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

interface Fixture {
  source: string;
  password: string;
  hash: string;
}
const fixtures = (
  JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/password-hashes.json'), 'utf8')) as {
    hashes: Fixture[];
  }
).hashes;

/** A password Django's validators accept, for calls where the password is not the point. */
const STRONG = 'Zebra-Quartz-71';

describe('the CLI', () => {
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = testEnvironment(database.url);
  });
  afterAll(() => database.drop());

  describe('users:create', () => {
    let t: TestApp;
    afterEach(() => t?.close());

    it('creates a user, prints its id, and the running app finds it with its flags', async () => {
      const created = await runCli(
        [
          'users:create',
          '--email',
          'Ada@Example.com',
          '--password',
          'Quartz-Ada-1912',
          '--username',
          'ada',
          '--first-name',
          'Ada',
          '--last-name',
          'Lovelace',
          '--staff',
          '--unverified',
        ],
        env,
      );
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      const id = Number(created.stdout.trim());
      expect(Number.isInteger(id) && id > 0).toBe(true);

      t = await startTestApp({ database });
      const users = t.app.get(UsersService);
      const user = await users.findByEmail('ada@EXAMPLE.com');
      expect(user).toMatchObject({
        id,
        email: 'Ada@Example.com',
        username: 'ada',
        firstName: 'Ada',
        lastName: 'Lovelace',
        isStaff: true,
        isSuperuser: false,
        isActive: true,
        isVerified: false,
        isBlocked: false,
        accountProviderId: 1,
      });
      expect(user!.uuid).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(user!.referralCode).toMatch(/^[A-Za-z0-9]{4,8}$/);
      expect(user!.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await expect(
        users.verifyCredentials('ada@example.com', 'Quartz-Ada-1912'),
      ).resolves.toMatchObject({
        id,
      });
      await expect(
        users.verifyCredentials('ada@example.com', 'Quartz-Ada-1913'),
      ).resolves.toBeNull();
    });

    it('derives a unique username from the e-mail when none is given', async () => {
      const first = await runCli(
        ['users:create', '--email', 'grace@one.org', '--password', 'Cobalt-Hopper-1906'],
        env,
      );
      const second = await runCli(
        [
          'users:create',
          '--email',
          'grace@two.org',
          '--password',
          'Cobalt-Hopper-1907',
          '--inactive',
          '--blocked',
          '--superuser',
        ],
        env,
      );
      expect([first.code, second.code]).toEqual([0, 0]);
      t = await startTestApp({ database });
      const users = t.app.get(UsersService);
      expect((await users.findByEmail('grace@one.org'))!.username).toBe('grace');
      expect(await users.findByEmail('grace@two.org')).toMatchObject({
        username: 'grace2',
        isActive: false,
        isBlocked: true,
        isSuperuser: true,
        isStaff: true,
      });
    });

    it.each([
      [['--password', STRONG], /--email is required/],
      [['--email', 'not-an-email', '--password', STRONG], /--email must be an e-mail address/],
      [['--email', 'ok@example.com'], /--password is required/],
      [['--email', 'ok@example.com', '--password', ''], /--password must not be empty/],
      [
        ['--email', 'ok@example.com', '--password', STRONG, '--password-hash', 'y'],
        /either --password or --password-hash/,
      ],
      [
        ['--email', 'ok@example.com', '--password', STRONG, '--provider', 'abc'],
        /--provider must be an account provider id/,
      ],
      [
        ['--email', 'ok@example.com', '--password', STRONG, '--provider', '42'],
        /--provider: Account provider 42 does not exist/,
      ],
      [
        ['--email', 'ok@example.com', '--password', STRONG, '--username', 'bad name'],
        /--username may hold/,
      ],
      [
        ['--email', 'ok@example.com', '--password', STRONG, '--colour', 'red'],
        /Unknown option '--colour'/,
      ],
      [
        ['--email', 'ADA@example.com', '--password', STRONG],
        /--email: A user with that e-mail address already exists/,
      ],
      [
        ['--email', 'new@example.com', '--password', STRONG, '--username', 'ada'],
        /--username: A user with that username already exists/,
      ],
    ])(
      'refuses %j with a clear message and a non-zero exit, writing nothing',
      async (args, message) => {
        const result = await runCli(['users:create', ...args], env);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(message);
        expect(result.stdout).toBe('');
      },
    );

    it('wrote no row for any refused call', async () => {
      t = await startTestApp({ database });
      expect(await t.app.get(DataSource).getRepository(User).count()).toBe(3);
    });

    it('fails with a one-line message on a bad setting', async () => {
      const result = await runCli(['users:create', '--email', 'x@y.zz', '--password', STRONG], {
        ...env,
        PORT: 'abc',
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        'gatehouse: PORT must be an integer from 0 to 65535 (got "abc")',
      );
    });
  });

  describe('users:set-password', () => {
    let t: TestApp;
    afterEach(() => t?.close());

    it('replaces the password', async () => {
      const result = await runCli(
        ['users:set-password', '--email', 'ADA@example.com', '--password', 'Velvet-Anchor-88'],
        env,
      );
      expect(result.code).toBe(0);
      t = await startTestApp({ database });
      const users = t.app.get(UsersService);
      await expect(
        users.verifyCredentials('ada@example.com', 'Velvet-Anchor-88'),
      ).resolves.not.toBeNull();
      await expect(
        users.verifyCredentials('ada@example.com', 'Quartz-Ada-1912'),
      ).resolves.toBeNull();
    });

    it('refuses an unknown e-mail', async () => {
      const result = await runCli(
        ['users:set-password', '--email', 'nobody@example.com', '--password', STRONG],
        env,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/no user has the e-mail address nobody@example.com/);
    });
  });

  describe('imported Django and passlib hashes', () => {
    let t: TestApp;
    afterAll(() => t?.close());

    it('imports one hash of each format with --password-hash', async () => {
      const formats = new Map<string, Fixture>();
      for (const f of fixtures) if (!formats.has(f.source)) formats.set(f.source, f);
      for (const [index, fixture] of [...formats.values()].entries()) {
        const result = await runCli(
          [
            'users:create',
            '--email',
            `cli-import-${index}@example.com`,
            '--password-hash',
            fixture.hash,
          ],
          env,
        );
        expect(result.code).toBe(0);
      }
      t = await startTestApp({ database });
      const users = t.app.get(UsersService);
      for (const [index, fixture] of [...formats.values()].entries()) {
        const user = await users.findByEmail(`cli-import-${index}@example.com`);
        expect(user!.password).toBe(fixture.hash);
      }
    });

    it("logs every fixture user in with its password, re-hashing to argon2id (in Django's form for Django's hashes); a wrong password changes nothing", async () => {
      const users = t.app.get(UsersService);
      const hasher = t.app.get(PasswordHasherService);
      const repository = t.app.get(DataSource).getRepository(User);
      for (const [index, fixture] of fixtures.entries()) {
        const email = `import-${index}@example.com`;
        await users.create({ email, passwordHash: fixture.hash });

        await expect(users.verifyCredentials(email, `${fixture.password}!`)).resolves.toBeNull();
        expect((await repository.findOneByOrFail({ email })).password).toBe(fixture.hash);

        await expect(
          users.verifyCredentials(email.toUpperCase(), fixture.password),
        ).resolves.toMatchObject({ email });
        const stored = (await repository.findOneByOrFail({ email })).password;
        // Django's own users stay in an encoding Django verifies; passlib's get the PHC string.
        expect(stored).toMatch(
          fixture.hash.startsWith('$')
            ? /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/
            : /^argon2\$argon2id\$v=19\$m=19456,t=2,p=1\$/,
        );
        await expect(hasher.check(fixture.password, stored)).resolves.toEqual({
          valid: true,
          needsRehash: false,
        });
        await expect(users.verifyCredentials(email, fixture.password)).resolves.toMatchObject({
          email,
        });
      }
    });
  });

  describe("as Django's createsuperuser and changepassword", () => {
    let t: TestApp;
    afterEach(() => t?.close());
    const COMMANDS = [
      'users:create',
      'users:set-password',
      'users:list',
      'users:deactivate',
      'tokens:create',
      'tokens:flush-expired',
      'providers:create',
    ];

    it('lists every command with --help, and each command has its own --help (exit 0)', async () => {
      const list = await runCli(['--help'], env);
      expect(list.code).toBe(0);
      for (const name of COMMANDS) expect(list.stdout).toContain(`  ${name} `);
      for (const name of COMMANDS) {
        const own = await runCli([name, '--help'], env);
        expect([name, own.code, own.stderr]).toEqual([name, 0, '']);
        expect(own.stdout).toContain(`Usage: npm run cli -- ${name}`);
        expect(own.stdout).toContain('--help');
      }
      const viaHelp = await runCli(['help', 'users:create'], env);
      expect(viaHelp.stdout).toContain('--password-hash H');
      expect((await runCli([], env)).code).toBe(2);
    });

    it("refuses a weak password with the validators' messages and exit code 1, writing nothing", async () => {
      const weak = await runCli(
        ['users:create', '--email', 'weak@example.com', '--password', '123'],
        env,
      );
      expect(weak.code).toBe(1);
      expect(weak.stdout).toBe('');
      expect(weak.stderr).toMatch(/^gatehouse users:create: --password refused: /);
      expect(weak.stderr).toContain('This password is too short.');
      expect(weak.stderr).toContain('This password is entirely numeric.');
      const similar = await runCli(
        ['users:create', '--email', 'margaret@example.com', '--password', 'margaret1'],
        env,
      );
      expect(similar.code).toBe(1);
      expect(similar.stderr).toContain('The password is too similar to the email address.');
      const change = await runCli(
        ['users:set-password', '--email', 'ada@example.com', '--password', 'password'],
        env,
      );
      expect(change.code).toBe(1);
      expect(change.stderr).toContain('This password is too common.');

      t = await startTestApp({ database });
      const users = t.app.get(UsersService);
      expect(await users.findByEmail('weak@example.com')).toBeNull();
      await expect(users.verifyCredentials('ada@example.com', 'password')).resolves.toBeNull();
    });

    it('stores a weak password when --skip-password-validation says so', async () => {
      const result = await runCli(
        [
          'users:create',
          '--email',
          'lax@example.com',
          '--password',
          '123',
          '--skip-password-validation',
        ],
        env,
      );
      expect(result.code).toBe(0);
      t = await startTestApp({ database });
      await expect(
        t.app.get(UsersService).verifyCredentials('lax@example.com', '123'),
      ).resolves.toMatchObject({ email: 'lax@example.com' });
    });

    it.each([
      'garbage',
      'pbkdf2_sha256$garbage',
      'md5$salt$0123456789abcdef0123456789abcdef',
      '$2b$12$truncated',
    ])('refuses the unknown hash format %j with exit code 1', async (hash) => {
      const result = await runCli(
        ['users:create', '--email', 'hash@example.com', '--password-hash', hash],
        env,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^gatehouse users:create: --password-hash: unknown hash format; Gatehouse verifies pbkdf2_sha256\$…/,
      );
    });

    it('asks for the password twice on a terminal, without echoing it, until it is good', async () => {
      const result = await runCliOnTerminal(
        ['users:create', '--email', 'typed@example.com'],
        [
          'Tulip-Meadow-44',
          'Tulip-Meadow-45',
          'short',
          'short',
          'Tulip-Meadow-44',
          'Tulip-Meadow-44',
        ],
        env,
      );
      expect(result.code).toBe(0);
      expect(result.output).toContain('Password (again): ');
      expect(result.output).toContain("Error: Your passwords didn't match.");
      expect(result.output).toContain('This password is too short.');
      expect(result.output).not.toContain('Tulip-Meadow');
      expect(result.output).not.toContain('short\r');
      const changed = await runCliOnTerminal(
        ['users:set-password', '--email', 'typed@example.com'],
        ['Orchid-Harbor-51', 'Orchid-Harbor-51'],
        env,
      );
      expect(changed.code).toBe(0);
      t = await startTestApp({ database });
      await expect(
        t.app.get(UsersService).verifyCredentials('typed@example.com', 'Orchid-Harbor-51'),
      ).resolves.toMatchObject({ email: 'typed@example.com' });
    });

    it('users:list shows every user; --json one JSON array', async () => {
      const table = await runCli(['users:list'], env);
      expect(table.code).toBe(0);
      const [header, ...rows] = table.stdout.trim().split('\n');
      expect(header).toMatch(/^id\s+email\s+username\s+flags\s+joined$/);
      expect(
        rows.some((row) => /^\d+\s+Ada@Example.com\s+ada\s+active,staff,unverified\s/.test(row)),
      ).toBe(true);
      const json = await runCli(['users:list', '--json'], env);
      const users = JSON.parse(json.stdout) as { id: number; email: string }[];
      expect(users.find((u) => u.email === 'Ada@Example.com')).toMatchObject({
        username: 'ada',
        is_active: true,
        is_staff: true,
        is_superuser: false,
        is_verified: false,
      });
      expect(users.map((u) => u.id)).toEqual([...users.map((u) => u.id)].sort((a, b) => a - b));
    });

    it('tokens:create prints a key, once, that authenticates as the user; users:deactivate shuts the user out', async () => {
      const minted = await runCli(['tokens:create', '--email', 'typed@example.com'], env);
      expect(minted.code).toBe(0);
      const key = minted.stdout.trim();
      expect(key).toMatch(/^[0-9a-f]{40}$/);
      // The CLI is another process: with a user cache the app would see its change
      // within USER_CACHE_TTL (test/user-cache.e2e-spec.ts); here it must at once.
      t = await startTestApp({ database, env: { USER_CACHE_TTL: '0' } });
      const auth = { headers: { Authorization: `Token ${key}` } };
      const me = await t.http.get('/auth/user/', auth);
      expect(me.status).toBe(200);
      expect(me.body.email).toBe('typed@example.com');
      expect(
        JSON.stringify(await t.app.get(DataSource).query('SELECT * FROM token_keys')),
      ).not.toContain(key);

      const off = await runCli(['users:deactivate', '--email', 'TYPED@example.com'], env);
      expect(off.code).toBe(0);
      expect(off.stdout).toMatch(/^user \d+ \(typed@example.com\) deactivated\n$/);
      expect((await t.http.get('/auth/user/', auth)).status).toBe(401);
      const login = await t.http.post('/api/token/', {
        email: 'typed@example.com',
        password: 'Orchid-Harbor-51',
      });
      expect(login.status).toBe(401);
      const none = await runCli(['tokens:create', '--email', 'nobody@example.com'], env);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/no user has the e-mail address nobody@example.com/);
    });
  });
});

describe('the package bin (npx gatehouse) in a host app', () => {
  const MODULE = 'test/fixtures/consumer/app.module.cjs#ConsumerModule.forRoot';
  let consumer: TestDatabase;
  let env: Record<string, string>;
  const bin = (args: string[], extra: Record<string, string> = {}) =>
    runBin(['--module', MODULE, ...args], { ...env, ...extra });

  beforeAll(async () => {
    consumer = await createTestDatabase();
    env = testEnvironment(consumer.url);
  });
  afterAll(() => consumer.drop());

  it("creates a user in the host app's database under the host's own password rules; --json parses", async () => {
    const refused = await bin([
      'users:create',
      '--email',
      'host@example.com',
      '--password',
      'Acme-Quartz-2024',
      '--json',
    ]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toEqual({
      error: expect.stringContaining('The password may not contain the company name.'),
    });

    const created = await bin([
      'users:create',
      '--email',
      'host@example.com',
      '--password',
      'Harbor-Quartz-2024',
      '--json',
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const user = JSON.parse(created.stdout) as { id: number; email: string; username: string };
    expect(user).toMatchObject({ email: 'host@example.com', username: 'host' });
    const [row] = await consumer.query<{ email: string; password: string }>(
      'SELECT email, password FROM users WHERE id = $1',
      [user.id],
    );
    expect(row.email).toBe('host@example.com');
    expect(row.password).toMatch(/^\$argon2id\$/);

    // GATEHOUSE_MODULE says the same as --module.
    const listed = await runBin(['users:list', '--json'], { ...env, GATEHOUSE_MODULE: MODULE });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: user.id, email: 'host@example.com', is_active: true }),
    ]);
    const key = JSON.parse(
      (await bin(['tokens:create', '--email', 'host@example.com', '--json'])).stdout,
    ) as { key: string; user_id: number };
    expect(key).toEqual({ key: expect.stringMatching(/^[0-9a-f]{40}$/), user_id: user.id });
    await bin(['tokens:create', '--email', 'host@example.com']);
    const revokedOne = await bin(['tokens:revoke', '--key', key.key, '--json']);
    expect(JSON.parse(revokedOne.stdout)).toEqual({ revoked: 1, user_id: user.id });
    const again = await bin(['tokens:revoke', '--key', key.key]);
    expect([again.code, again.stderr]).toEqual([
      2,
      'gatehouse tokens:revoke: --key: no such Token key\n',
    ]);
    const revokedAll = await bin(['tokens:revoke', '--email', 'host@example.com', '--json']);
    expect(JSON.parse(revokedAll.stdout)).toEqual({ revoked: 1, user_id: user.id });
    expect(await consumer.query('SELECT id FROM token_keys')).toEqual([]);
    const off = await bin(['users:deactivate', '--email', 'host@example.com', '--json']);
    expect(JSON.parse(off.stdout)).toEqual({
      id: user.id,
      email: 'host@example.com',
      is_active: false,
    });
    const events = await bin(['events:tail', '--json']);
    expect(events.code).toBe(0);
    expect(Array.isArray(JSON.parse(events.stdout))).toBe(true);
    const flushed = await bin(['tokens:flush-expired', '--json']);
    expect(JSON.parse(flushed.stdout)).toEqual({ removed: 0 });
  });

  it("is the package's `gatehouse` bin, a node script", () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(manifest.bin).toEqual({ gatehouse: 'dist/src/cli/bin.js' });
    expect(readFileSync(manifest.bin.gatehouse, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('prints its commands with --help, naming the module it runs in', async () => {
    const help = await bin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`Usage: gatehouse --module ${MODULE} <command> [options]`);
    expect(help.stdout).toMatch(/^\s+export:django\s/m);
    expect(help.stdout).toContain('--json');
  });

  it.each([
    [
      'a missing file',
      'test/fixtures/consumer/nope.cjs#AppModule',
      /--module: no such file .*nope\.cjs/,
    ],
    [
      'a missing export',
      'test/fixtures/consumer/app.module.cjs#AppModule',
      /exports no "AppModule" \(it exports ConsumerModule, Lonely\)/,
    ],
    [
      'a module without Gatehouse',
      'test/fixtures/consumer/app.module.cjs#Lonely',
      /does not import GatehouseModule/,
    ],
  ])('refuses %s with one line and exit code 2', async (_name, spec, message) => {
    const result = await runBin(['--module', spec, 'users:list'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  describe('a long import', () => {
    const ROWS = 2500;
    let dir: string;
    let source: string;

    beforeAll(() => {
      // A fastapi-users table (SQLAlchemyBaseUserTableUUID) with one real passlib hash for all.
      dir = mkdtempSync(join(tmpdir(), 'gatehouse-progress-'));
      source = join(dir, 'fastapi.sqlite3');
      const hash = fixtures.find((f) => f.hash.startsWith('$2b$'))!.hash;
      const db = new Sqlite(source);
      db.exec(
        'CREATE TABLE "user" (id CHAR(36) PRIMARY KEY, email VARCHAR(320) NOT NULL, ' +
          'hashed_password VARCHAR(1024) NOT NULL, is_active BOOLEAN NOT NULL, ' +
          'is_superuser BOOLEAN NOT NULL, is_verified BOOLEAN NOT NULL)',
      );
      const insert = db.prepare('INSERT INTO "user" VALUES (?, ?, ?, 1, 0, 1)');
      db.transaction(() => {
        for (let i = 0; i < ROWS; i++) insert.run(randomUUID(), `bulk${i}@example.com`, hash);
      })();
      db.close();
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('draws a progress bar on a terminal and ends with a summary', async () => {
      const result = await runCliOnTerminal(
        ['import:fastapi-users', '--database-url', `sqlite:${source}`],
        [],
        env,
        'src/cli/bin.js',
      );
      expect(result.code).toBe(0);
      expect(result.output).toMatch(
        new RegExp(`\r\x1b\\[Kimport:fastapi-users \\[#{30}\\] ${ROWS}/${ROWS} \\(100%\\)`),
      );
      expect(result.output).toMatch(new RegExp(`import:fastapi-users: ${ROWS} rows in \\S+`));
      expect(result.output).toContain(`created ${ROWS}, updated 0, unchanged 0, skipped 0`);
    });

    it('writes plain lines, no bar, when not on a terminal; --json is one document on stdout', async () => {
      const result = await runBin(
        ['import:fastapi-users', '--database-url', `sqlite:${source}`, '--dry-run', '--json'],
        env,
      );
      expect(result.code).toBe(0);
      expect(result.stderr).not.toContain('\r');
      expect(result.stderr).toContain(`import:fastapi-users: ${ROWS}/${ROWS} rows`);
      expect(JSON.parse(result.stdout)).toEqual({
        dry_run: true,
        created: 0,
        updated: 0,
        unchanged: ROWS,
        skipped: 0,
        skipped_reasons: {},
      });
    });
  });
});
