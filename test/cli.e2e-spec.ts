import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PasswordHasherService } from '../src/accounts/password-hasher.service';
import { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { runCli } from './support/processes';
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
          'pw-ada-1',
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
      await expect(users.verifyCredentials('ada@example.com', 'pw-ada-1')).resolves.toMatchObject({
        id,
      });
      await expect(users.verifyCredentials('ada@example.com', 'pw-ada-2')).resolves.toBeNull();
    });

    it('derives a unique username from the e-mail when none is given', async () => {
      const first = await runCli(
        ['users:create', '--email', 'grace@one.org', '--password', 'x1'],
        env,
      );
      const second = await runCli(
        [
          'users:create',
          '--email',
          'grace@two.org',
          '--password',
          'x2',
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
      [['--password', 'x'], /--email is required/],
      [['--email', 'not-an-email', '--password', 'x'], /--email must be an e-mail address/],
      [['--email', 'ok@example.com'], /--password is required/],
      [['--email', 'ok@example.com', '--password', ''], /--password must not be empty/],
      [
        ['--email', 'ok@example.com', '--password', 'x', '--password-hash', 'y'],
        /either --password or --password-hash/,
      ],
      [
        ['--email', 'ok@example.com', '--password', 'x', '--provider', 'abc'],
        /--provider must be an account provider id/,
      ],
      [
        ['--email', 'ok@example.com', '--password', 'x', '--provider', '42'],
        /--provider: Account provider 42 does not exist/,
      ],
      [
        ['--email', 'ok@example.com', '--password', 'x', '--username', 'bad name'],
        /--username may hold/,
      ],
      [
        ['--email', 'ok@example.com', '--password', 'x', '--colour', 'red'],
        /Unknown option '--colour'/,
      ],
      [
        ['--email', 'ADA@example.com', '--password', 'x'],
        /--email: A user with that e-mail address already exists/,
      ],
      [
        ['--email', 'new@example.com', '--password', 'x', '--username', 'ada'],
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
      const result = await runCli(['users:create', '--email', 'x@y.zz', '--password', 'x'], {
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
        ['users:set-password', '--email', 'ADA@example.com', '--password', 'new-pw-9'],
        env,
      );
      expect(result.code).toBe(0);
      t = await startTestApp({ database });
      const users = t.app.get(UsersService);
      await expect(users.verifyCredentials('ada@example.com', 'new-pw-9')).resolves.not.toBeNull();
      await expect(users.verifyCredentials('ada@example.com', 'pw-ada-1')).resolves.toBeNull();
    });

    it('refuses an unknown e-mail', async () => {
      const result = await runCli(
        ['users:set-password', '--email', 'nobody@example.com', '--password', 'x'],
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

    it('logs every fixture user in with its password, re-hashing to argon2id; a wrong password changes nothing', async () => {
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
        expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
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
});
