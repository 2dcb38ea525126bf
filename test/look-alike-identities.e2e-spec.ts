import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { identityKey } from '../src/accounts/identity-key';
import type { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { loadConfig } from '../src/config/load-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { gatehouseEntities } from '../src/gatehouse/entities';
import { migrations } from '../src/database/migrations';
import { IdentityKeys1763950000000 } from '../src/database/migrations/1763950000000-identity-keys';
import { createTestDatabase } from './support/test-database';
import { startTestApp, testEnvironment, type TestApp } from './support/test-app';

const PASSWORD = 'Zebra-Quartz-71';
const KELVIN = '\u212a'; // K KELVIN SIGN
const CYRILLIC_I = '\u0456'; // і CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const INVALID_EMAIL = { email: ['Enter a valid email address.'] };
const USERNAME_TAKEN = { username: ['A user with that username already exists.'] };

/** Issue 27, "Look-alike identities": one address or username, however it is spelled. */
describe('look-alike identities', () => {
  let t: TestApp;
  let users: UsersService;
  let kate: User;

  const register = (body: Record<string, unknown>) =>
    t.http.post('/auth/registration/', { password1: PASSWORD, password2: PASSWORD, ...body });
  const fastapiRegister = (email: string) =>
    t.http.post('/auth/register', { email, password: PASSWORD });
  const bearerFor = async (email: string) => {
    const res = await t.http.request('POST', '/auth/jwt/login', {
      headers: FORM,
      body: new URLSearchParams({ username: email, password: PASSWORD }).toString(),
    });
    expect(res.status).toBe(200);
    return { Authorization: `Bearer ${res.body.access_token as string}` };
  };

  beforeAll(async () => {
    t = await startTestApp();
    users = t.app.get(UsersService);
    kate = await users.create({ email: 'kate@example.com', password: PASSWORD, isVerified: true });
    await users.create({ email: 'victim@example.com', password: PASSWORD });
    await users.create({ email: 'grace@example.com', username: 'grace', password: PASSWORD });
  });
  afterAll(() => t.close());

  describe('DRF sign-up (dj-rest-auth), as strict as Django’s EmailValidator', () => {
    it.each([
      ['a zero-width space', 'ka\u200bte@example.com'],
      ['a soft hyphen', 'ka\u00adte@example.com'],
      ['a soft hyphen in the domain', 'kate@exa\u00admple.com'],
      ['a zero-width joiner in the domain', 'kate@exa\u200dmple.com'],
      ['a right-to-left override', 'kate\u202e@example.com'],
      ['a Cyrillic і (Django allows only ASCII before the @)', `v${CYRILLIC_I}ctim@example.com`],
    ])('refuses %s: "Enter a valid email address."', async (_case, email) => {
      const res = await register({ email });
      expect([res.status, res.body]).toEqual([400, INVALID_EMAIL]);
    });

    it('answers the Kelvin-sign twin of kate@ with seed 002’s "already in use"', async () => {
      const res = await register({ email: `${KELVIN}ate@example.com` });
      expect([res.status, res.body]).toEqual([400, { email: ['Email address already in use'] }]);
    });

    it.each([['Grace'], ['GRACE'], ['\uff27race']])(
      'refuses the username %j beside "grace"',
      async (username) => {
        const res = await register({ email: `new-${randomUUID()}@example.com`, username });
        expect([res.status, res.body]).toEqual([400, USERNAME_TAKEN]);
      },
    );

    it('staff creating a user get the same rules', async () => {
      const staff = await users.create({
        email: 'staff@example.com',
        password: PASSWORD,
        isStaff: true,
      });
      const token = await t.http.post('/api/token/', { email: staff.email, password: PASSWORD });
      const headers = { Authorization: `JWT ${token.body.access as string}` };
      const twin = await t.http.post(
        '/api/users/',
        { email: `${KELVIN}ATE@example.com`, password: PASSWORD },
        { headers },
      );
      expect([twin.status, twin.body]).toEqual([
        400,
        { email: ['user with this email address already exists.'] },
      ]);
      const hidden = await t.http.post(
        '/api/users/',
        { email: 'kat\u200be@example.com', password: PASSWORD },
        { headers },
      );
      expect([hidden.status, hidden.body]).toEqual([400, INVALID_EMAIL]);
    });
  });

  describe('PATCH /auth/user/ (dj-rest-auth)', () => {
    it('refuses a username that differs from another user’s only in case; one’s own case may change', async () => {
      const other = await users.create({ email: 'olivia@example.com', password: PASSWORD });
      const login = await t.http.post('/auth/login/', { email: other.email, password: PASSWORD });
      const headers = { Authorization: `Token ${login.body.key as string}` };
      const taken = await t.http.request('PATCH', '/auth/user/', {
        headers,
        json: { username: 'Grace' },
      });
      expect([taken.status, taken.body]).toEqual([400, USERNAME_TAKEN]);
      const own = await t.http.request('PATCH', '/auth/user/', {
        headers,
        json: { username: other.username.toUpperCase() },
      });
      expect([own.status, own.body.username]).toEqual([200, other.username.toUpperCase()]);
    });
  });

  describe('fastapi-users, as email-validator normalises', () => {
    it('refuses zero-width and soft-hyphen addresses with 422 value_error', async () => {
      const res = await fastapiRegister('ka\u200bte@example.com');
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual([
        {
          type: 'value_error',
          loc: ['body', 'email'],
          msg: 'value is not a valid email address: The email address contains unsafe characters: ZERO WIDTH SPACE.',
          input: 'ka\u200bte@example.com',
          ctx: { reason: 'The email address contains unsafe characters: ZERO WIDTH SPACE.' },
        },
      ]);
      const soft = await fastapiRegister('kate@exa\u00admple.com');
      expect(soft.status).toBe(422);
      expect(soft.body.detail[0].ctx).toEqual({
        reason: 'The email address contains unsafe characters: SOFT HYPHEN.',
      });
    });

    it('answers the Kelvin-sign twin of kate@ with REGISTER_USER_ALREADY_EXISTS', async () => {
      const res = await fastapiRegister(`${KELVIN}ate@example.com`);
      expect([res.status, res.text]).toEqual([400, '{"detail":"REGISTER_USER_ALREADY_EXISTS"}']);
    });

    it('answers the Cyrillic-і twin of victim@ with REGISTER_USER_ALREADY_EXISTS; a wholly Cyrillic address is its own', async () => {
      expect(await users.findByEmail('victim@example.com')).not.toBeNull();
      const twin = await fastapiRegister(`v${CYRILLIC_I}ctim@example.com`);
      expect([twin.status, twin.text]).toEqual([400, '{"detail":"REGISTER_USER_ALREADY_EXISTS"}']);
      const cyrillic = await fastapiRegister('иван@example.com');
      expect([cyrillic.status, cyrillic.body.email]).toEqual([201, 'иван@example.com']);
    });

    it('PATCH /users/me to the Kelvin-sign twin of one’s own address changes nothing', async () => {
      const headers = await bearerFor('kate@example.com');
      const twin = await t.http.request('PATCH', '/users/me', {
        headers,
        json: { email: `${KELVIN}ate@example.com` },
      });
      expect([twin.status, twin.text]).toEqual([
        400,
        '{"detail":"UPDATE_USER_EMAIL_ALREADY_EXISTS"}',
      ]);
      const me = await t.http.get('/users/me', { headers });
      expect(me.body).toMatchObject({ email: 'kate@example.com', is_verified: true });
    });

    it('any change of address resets is_verified', async () => {
      const headers = await bearerFor('kate@example.com');
      const moved = await t.http.request('PATCH', '/users/me', {
        headers,
        json: { email: 'kate@elsewhere.example' },
      });
      expect([moved.status, moved.body.is_verified]).toEqual([200, false]);
      expect((await users.findById(kate.id))?.isVerified).toBe(false);
    });
  });
});

/** The migration gives every existing user its keys; look-alikes that predate it keep working. */
describe('upgrading a database with users', () => {
  let t: TestApp;

  beforeAll(async () => {
    const database = await createTestDatabase();
    const options = dataSourceOptions(loadConfig(testEnvironment(database.url)), {
      entities: gatehouseEntities,
    });
    const before = new DataSource({
      ...options,
      entities: [],
      migrations: migrations.slice(0, migrations.indexOf(IdentityKeys1763950000000)),
      migrationsRun: false,
    });
    await before.initialize();
    await before.runMigrations();
    const rows = [
      ['kate@example.com', 'kate'],
      ['\uff4bate@example.com', 'fullwidth-kate'], // ｋ: a look-alike SQLite's and PostgreSQL's lower() miss
      ['grace@example.com', 'Grace'],
      ['grace2@example.com', 'grace'],
    ];
    const postgres = database.kind === 'postgres';
    for (const [n, [email, username]] of rows.entries()) {
      const values = [randomUUID(), email, username, '!', new Date(), `REF${n}`];
      await before.query(
        'INSERT INTO "users" ("uuid", "email", "username", "password", "date_joined", "referral_code") ' +
          `VALUES (${values.map((_, i) => (postgres ? `$${i + 1}` : '?')).join(', ')})`,
        postgres ? values : values.map((v) => (v instanceof Date ? v.toISOString() : v)),
      );
    }
    await before.destroy();
    t = await startTestApp({ database });
    const users = t.app.get(UsersService);
    for (const [email] of rows)
      await users.setPassword((await users.findByEmail(email))!, PASSWORD);
  });
  afterAll(async () => {
    await t.close();
    await t.database.drop();
  });

  it('fills the keys in id order; the newer of two look-alikes goes without', async () => {
    const keys = await t.database.query<{
      email: string;
      email_key: string | null;
      username_key: string | null;
    }>('SELECT "email", "email_key", "username_key" FROM "users" ORDER BY "id"');
    expect(keys).toEqual([
      {
        email: 'kate@example.com',
        email_key: identityKey('kate@example.com'),
        username_key: identityKey('kate'),
      },
      {
        email: '\uff4bate@example.com',
        email_key: null,
        username_key: identityKey('fullwidth-kate'),
      },
      {
        email: 'grace@example.com',
        email_key: identityKey('grace@example.com'),
        username_key: identityKey('grace'),
      },
      {
        email: 'grace2@example.com',
        email_key: identityKey('grace2@example.com'),
        username_key: null,
      },
    ]);
  });

  it('refuses new look-alikes of the old users', async () => {
    const register = (body: object) =>
      t.http.post('/auth/registration/', { password1: PASSWORD, password2: PASSWORD, ...body });
    expect((await register({ email: 'KATE@example.com' })).body).toEqual({
      email: ['Email address already in use'],
    });
    expect((await register({ email: 'someone@example.com', username: 'GRACE' })).body).toEqual(
      USERNAME_TAKEN,
    );
    const fastapi = await t.http.post('/auth/register', {
      email: 'Kate@Example.com',
      password: PASSWORD,
    });
    expect(fastapi.text).toBe('{"detail":"REGISTER_USER_ALREADY_EXISTS"}');
  });

  it('lets the old look-alikes log in as before', async () => {
    const byEmail = await t.http.post('/api/token/', {
      email: '\uff4bate@example.com',
      password: PASSWORD,
    });
    expect(byEmail.status).toBe(200);
    const byUsername = await t.http.post('/auth/login/', { username: 'grace', password: PASSWORD });
    expect(byUsername.status).toBe(200);
    expect(byUsername.body.user).toMatchObject({ username: 'grace', email: 'grace2@example.com' });
  });
});
