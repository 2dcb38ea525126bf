import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { AuthEvent } from '../src/audit/auth-event.entity';
import { UsersService } from '../src/accounts/users.service';
import { decodeJwt } from './support/jwt';
import { runCli } from './support/processes';
import {
  type DjangoClients,
  type FastapiUsersClients,
  hasLegacyPython,
  type LegacyDatabaseFixture,
  legacyEngines,
  makeLegacyDatabase,
} from './support/legacy';
import { startTestApp, type TestApp, testEnvironment } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Every DRF "who am I" endpoint and every SimpleJWT refresh view. */
const SIMPLEJWT_WHO_AM_I = [
  '/accounts/auth/users/me/',
  '/accounts/accounts/user/',
  '/core/accounts/accounts/me/',
  '/auth/user/',
  '/authentication/user/',
];
const SIMPLEJWT_REFRESH = [
  '/api/token/refresh/',
  '/accounts/auth/jwt/refresh/',
  '/auth/token/refresh/',
];
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const NEW_PASSWORD = 'Brand-New-Passw0rd!';

/** Imports with the CLI into `database`, as an operator would. */
async function importWith(
  command: string,
  legacyUrl: string,
  database: TestDatabase,
  env: Record<string, string>,
  extra: string[] = [],
) {
  const result = await runCli(
    [command, '--database-url', legacyUrl, ...extra],
    testEnvironment(database.url, env),
  );
  expect(result.stderr).not.toMatch(/Error|at .*\.js/);
  expect(result.code).toBe(0);
  return result;
}

const describeLegacy = hasLegacyPython ? describe : describe.skip;

describeLegacy.each(legacyEngines)('moving a Django deployment over (source on %s)', (engine) => {
  let legacy: LegacyDatabaseFixture<DjangoClients>;
  let database: TestDatabase;
  let t: TestApp;
  let env: Record<string, string>;
  let firstImport: { stdout: string; stderr: string };

  beforeAll(async () => {
    legacy = await makeLegacyDatabase<DjangoClients>('django', engine);
    database = await createTestDatabase();
    // The move's one setting: Django's SECRET_KEY becomes JWT_SECRET.
    env = { JWT_SECRET: legacy.clients.secret_key };
    firstImport = await importWith('import:django', legacy.url, database, env);
    t = await startTestApp({ database, env });
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await database?.drop();
    await legacy?.drop();
  });

  const users = () => legacy.clients.users;
  /** The users whose clients hold a DRF key and SimpleJWT tokens. */
  const withPassword = () => users().filter((u) => u.token_key);
  const byName = (name: string) => users().find((u) => u.username === name)!;

  it('imports every user it can with one command and reports each row it skips with its id and reason', () => {
    expect(firstImport.stdout).toContain('created 7, updated 0, unchanged 0, skipped 3');
    const [badmail, shouty, oldhash] = legacy.clients.skipped;
    expect(firstImport.stderr).toContain(
      `skipped row ${badmail.id}: invalid e-mail address "not-an-address"`,
    );
    expect(firstImport.stderr).toContain(
      `skipped row ${shouty.id}: e-mail ALICE@example.com differs only by case`,
    );
    expect(firstImport.stderr).toContain(
      `skipped row ${oldhash.id}: unknown password hash format (md5)`,
    );
    expect(firstImport.stderr).toMatch(/import:django: 10\/10 rows/);
  });

  it('a reset link Django mailed before the move still resets, once (pk, hash, last_login, secret unchanged)', async () => {
    const frank = byName('frank');
    const confirm = () =>
      t.http.post('/auth/password/reset/confirm/', {
        uid: frank.reset_uid,
        token: frank.reset_token,
        new_password1: NEW_PASSWORD,
        new_password2: NEW_PASSWORD,
      });
    const res = await confirm();
    expect(res.status).toBe(200);
    expect(
      (await t.http.post('/api/token/', { email: frank.email, password: NEW_PASSWORD })).status,
    ).toBe(200);
    expect((await confirm()).status).toBe(400);
  });

  it('a reset link dj-rest-auth mailed with allauth (its e-mail-aware generator) still resets, once', async () => {
    const grace = byName('grace');
    const confirm = () =>
      t.http.post('/auth/password/reset/confirm/', {
        uid: grace.reset_uid,
        token: grace.reset_token,
        new_password1: NEW_PASSWORD,
        new_password2: NEW_PASSWORD,
      });
    expect((await confirm()).status).toBe(200);
    expect(
      (await t.http.post('/api/token/', { email: grace.email, password: NEW_PASSWORD })).status,
    ).toBe(200);
    const again = await confirm();
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ token: ['Invalid value'] });
  });

  it("a reset link djoser mailed before the move still resets through djoser's confirm, once", async () => {
    const erin = byName('erin');
    const confirm = () =>
      t.http.post('/accounts/auth/users/reset_password_confirm/', {
        uid: erin.djoser_reset_uid,
        token: erin.djoser_reset_token,
        new_password: NEW_PASSWORD,
      });
    const res = await confirm();
    expect(res.status).toBe(204);
    const again = await confirm();
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ token: ['Invalid token for given user.'] });
  });

  it('every user logs in with the old password on every surface; inactive and unusable ones do not', async () => {
    expect(new Set(withPassword().map((u) => u.hash_prefix))).toEqual(
      new Set(['pbkdf2_sha256', 'argon2', 'bcrypt_sha256']),
    );
    for (const user of withPassword()) {
      const credentials = { email: user.email, password: user.password };
      const simplejwt = await t.http.post('/api/token/', credentials);
      expect(simplejwt.status).toBe(200);
      const djoser = await t.http.post('/accounts/auth/jwt/create/', credentials);
      expect(djoser.status).toBe(200);
      // Imported users start without a second factor (issue 30): no challenge above, none enrolled.
      const mfa = await t.http.get('/accounts/auth/users/me/mfa/', {
        headers: { authorization: `JWT ${djoser.body.access}` },
      });
      expect(mfa.body).toEqual({ totp: false, recovery_codes_left: 0 });
      const restAuth = await t.http.post('/auth/login/', {
        username: user.username,
        password: user.password,
      });
      expect(restAuth.status).toBe(200);
      expect(restAuth.body.user.pk).toBe(user.id);
      const fastapi = await t.http.request('POST', '/auth/jwt/login', {
        headers: FORM,
        body: new URLSearchParams({ username: user.email, password: user.password! }).toString(),
      });
      expect(fastapi.status).toBe(200);
    }
    const erin = byName('erin');
    expect(
      (await t.http.post('/api/token/', { email: erin.email, password: erin.password })).status,
    ).toBe(401);
    const dave = byName('dave');
    expect((await t.http.post('/api/token/', { email: dave.email, password: '' })).status).toBe(
      400,
    );
    expect((await t.http.post('/api/token/', { email: dave.email, password: '!' })).status).toBe(
      401,
    );
  });

  it('every DRF key and every unexpired SimpleJWT token made by Django still works', async () => {
    for (const user of withPassword()) {
      const byKey = await t.http.get('/authentication/user/', {
        headers: { Authorization: `Token ${user.token_key}` },
      });
      expect(byKey.status).toBe(200);
      expect(byKey.body.pk).toBe(user.id);

      const djoserMe = await t.http.get('/accounts/auth/users/me/', {
        headers: { Authorization: `JWT ${user.access}` },
      });
      expect(djoserMe.status).toBe(200);
      expect(djoserMe.body).toMatchObject({ email: user.email });
      const restAuthMe = await t.http.get('/auth/user/', {
        headers: { Authorization: `Bearer ${user.access}` },
      });
      expect(restAuthMe.status).toBe(200);
      expect(restAuthMe.body.pk).toBe(user.id);
      expect((await t.http.post('/api/token/verify/', { token: user.access })).status).toBe(200);

      const refreshed = await t.http.post('/api/token/refresh/', { refresh: user.refresh });
      expect(refreshed.status).toBe(200);
      const me = await t.http.get('/accounts/auth/users/me/', {
        headers: { Authorization: `JWT ${refreshed.body.access}` },
      });
      expect(me.body).toMatchObject({ email: user.email });
      expect((await t.http.post('/auth/token/refresh/', { refresh: user.refresh })).status).toBe(
        200,
      );
    }
  });

  it('SimpleJWT 5.5 tokens ("user_id" a string) work on every who-am-I and refresh endpoint', async () => {
    for (const user of withPassword()) {
      expect(decodeJwt(user.access_str_user_id!).payload.user_id).toBe(String(user.id));
      for (const path of SIMPLEJWT_WHO_AM_I) {
        const res = await t.http.get(path, {
          headers: { Authorization: `JWT ${user.access_str_user_id}` },
        });
        expect(res.status).toBe(200);
        expect(res.body.email).toBe(user.email);
      }
      for (const path of SIMPLEJWT_REFRESH) {
        const res = await t.http.post(path, { refresh: user.refresh_str_user_id });
        expect(res.status).toBe(200);
        const access = (res.body.access ?? res.body.access_token) as string;
        expect(decodeJwt(access).payload.user_id).toBe(user.id);
      }
    }
  });

  it('a refresh token blacklisted in Django stays refused', async () => {
    for (const user of withPassword()) {
      const res = await t.http.post('/api/token/refresh/', { refresh: user.blacklisted_refresh });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    }
  });

  it('ids, staff, superuser, active and verified flags hold', async () => {
    const bob = byName('bob'); // staff
    for (const user of users()) {
      const res = await t.http.get(`/api/users/${user.id}/`, {
        headers: { Authorization: `JWT ${bob.access}` },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: user.id,
        email: user.email,
        is_active: user.is_active,
        is_staff: user.is_staff,
      });
    }
    // fastapi-users' view of the same users, through its own login: a SimpleJWT token
    // carries no fastapi-users audience, so /users/me refuses it (it does on fastapi-users).
    for (const user of withPassword()) {
      const login = await t.http.request('POST', '/auth/jwt/login', {
        body: new URLSearchParams({ username: user.email, password: user.password! }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(login.status).toBe(200);
      const me = await t.http.get('/users/me', {
        headers: { Authorization: `Bearer ${login.body.access_token}` },
      });
      expect(me.body).toMatchObject({
        email: user.email,
        is_superuser: user.is_superuser,
        is_verified: user.verified,
      });
    }
  });

  it('re-running the import changes nothing, even after logins re-hashed the passwords', async () => {
    const again = await importWith('import:django', legacy.url, database, env);
    expect(again.stdout).toContain('created 0, updated 0, unchanged 7, skipped 3');
    const dry = await importWith('import:django', legacy.url, database, env, ['--dry-run']);
    expect(dry.stdout).toContain(
      'dry run, nothing written: would have created 0, updated 0, unchanged 7',
    );
  });
});

describeLegacy('coexistence: a legacy id Gatehouse already gave to someone else', () => {
  it('is skipped with its reason, never written over the other person', async () => {
    const legacy = await makeLegacyDatabase<DjangoClients>('django', 'sqlite');
    const database = await createTestDatabase();
    const env = { JWT_SECRET: legacy.clients.secret_key };
    try {
      const alice = legacy.clients.users.find((u) => u.username === 'alice')!;
      let t = await startTestApp({ database, env });
      const native = await t.app
        .get(UsersService)
        .create({ email: 'native@example.com', password: 'native-secret-pass' });
      await t.close();
      expect(native.id).toBe(alice.id);

      const run = await importWith('import:django', legacy.url, database, env);
      expect(run.stderr).toContain(
        `skipped row ${alice.id}: id ${alice.id} belongs to another Gatehouse user`,
      );
      t = await startTestApp({ database, env });
      try {
        expect((await t.app.get(UsersService).findById(native.id))?.email).toBe(
          'native@example.com',
        );
        const login = await t.http.post('/api/token/', {
          email: 'native@example.com',
          password: 'native-secret-pass',
        });
        expect(login.status).toBe(200);
      } finally {
        await t.close();
      }
    } finally {
      await database.drop();
      await legacy.drop();
    }
  }, 180_000);
});

describeLegacy.each(legacyEngines)(
  'moving a fastapi-users deployment over (source on %s)',
  (engine) => {
    let legacy: LegacyDatabaseFixture<FastapiUsersClients>;
    let database: TestDatabase;
    let t: TestApp;
    let env: Record<string, string>;
    let firstImport: { stdout: string; stderr: string };

    beforeAll(async () => {
      legacy = await makeLegacyDatabase<FastapiUsersClients>('fastapi-users', engine);
      database = await createTestDatabase();
      // Gatehouse signs with its own secret; the old service's still verifies.
      env = { JWT_PREVIOUS_SECRETS: legacy.clients.secret };
      firstImport = await importWith('import:fastapi-users', legacy.url, database, env);
      t = await startTestApp({ database, env });
    }, 180_000);

    afterAll(async () => {
      await t?.close();
      await database?.drop();
      await legacy?.drop();
    });

    const active = () => legacy.clients.users.filter((u) => u.is_active);

    it('imports the users, keeps their UUIDs and skips what it cannot take', () => {
      expect(firstImport.stdout).toContain('created 3, updated 0, unchanged 0, skipped 1');
      expect(firstImport.stderr).toContain(`skipped row ${legacy.clients.skipped[0].id}:`);
      expect(new Set(legacy.clients.users.map((u) => u.scheme))).toEqual(
        new Set(['bcrypt', 'argon2id']),
      );
    });

    it('every old token works on the fastapi-users surface, and the old passwords everywhere', async () => {
      for (const user of active()) {
        const me = await t.http.get('/users/me', {
          headers: { Authorization: `Bearer ${user.token}` },
        });
        expect(me.status).toBe(200);
        expect(me.body).toEqual({
          id: user.id,
          email: user.email,
          is_active: true,
          is_superuser: user.is_superuser,
          is_verified: user.is_verified,
        });
        expect(
          (
            await t.http.get('/api/v1/resource', {
              headers: { Authorization: `Bearer ${user.token}` },
            })
          ).status,
        ).toBe(200);
        const login = await t.http.request('POST', '/auth/jwt/login', {
          headers: FORM,
          body: new URLSearchParams({ username: user.email, password: user.password }).toString(),
        });
        expect(login.status).toBe(200);
        expect(
          (await t.http.post('/api/token/', { email: user.email, password: user.password })).status,
        ).toBe(200);
      }
      const inactive = legacy.clients.users.find((u) => !u.is_active)!;
      const refused = await t.http.get('/users/me', {
        headers: { Authorization: `Bearer ${inactive.token}` },
      });
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ detail: 'Unauthorized' });
    });

    it('an old fastapi-users token is not a DRF credential, and a forged one is refused', async () => {
      const [user] = active();
      expect(
        (await t.http.get('/auth/user/', { headers: { Authorization: `Bearer ${user.token}` } }))
          .status,
      ).toBe(401);
      const forged = `${user.token.slice(0, -2)}${user.token.endsWith('A') ? 'B' : 'A'}A`;
      expect(
        (await t.http.get('/users/me', { headers: { Authorization: `Bearer ${forged}` } })).status,
      ).toBe(401);
    });

    it('re-running the import changes nothing', async () => {
      const again = await importWith('import:fastapi-users', legacy.url, database, env);
      expect(again.stdout).toContain('created 0, updated 0, unchanged 3, skipped 1');
    });
  },
);

describeLegacy('trickle mode: no import, identities come over on first use', () => {
  let django: LegacyDatabaseFixture<DjangoClients>;
  let fastapi: LegacyDatabaseFixture<FastapiUsersClients>;
  let t: TestApp;

  beforeAll(async () => {
    django = await makeLegacyDatabase<DjangoClients>('django', 'sqlite');
    fastapi = await makeLegacyDatabase<FastapiUsersClients>('fastapi-users', 'sqlite');
    t = await startTestApp({
      env: {
        JWT_SECRET: django.clients.secret_key,
        JWT_PREVIOUS_SECRETS: fastapi.clients.secret,
        LEGACY_DJANGO_DATABASE_URL: django.url,
        LEGACY_FASTAPI_USERS_DATABASE_URL: fastapi.url,
        TRUST_PROXY: 'true',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await django?.drop();
    await fastapi?.drop();
  });

  const byName = (name: string) => django.clients.users.find((u) => u.username === name)!;
  const AGENT = 'TrickleAgent/1.0 (e2e)';
  const client = { headers: { 'x-forwarded-for': '192.0.2.77', 'user-agent': AGENT } };
  /** The audit trail's `import` rows, written out first. */
  const importEvents = async () => {
    await t.app.get(AuditService).flush();
    return t.app
      .get(DataSource)
      .getRepository(AuthEvent)
      .find({ where: { type: 'import' }, order: { id: 'ASC' } });
  };

  it.each([
    ['Django', 'frank'],
    ['allauth (dj-rest-auth with allauth)', 'grace'],
  ])('an old %s reset link imports its user by uid and resets', async (_generator, name) => {
    const holder = byName(name);
    const res = await t.http.post('/auth/password/reset/confirm/', {
      uid: holder.reset_uid,
      token: holder.reset_token,
      new_password1: NEW_PASSWORD,
      new_password2: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
  });

  it("an old djoser reset link imports its user by the base64 uid and resets through djoser's confirm", async () => {
    const erin = byName('erin');
    const confirm = () =>
      t.http.post('/accounts/auth/users/reset_password_confirm/', {
        uid: erin.djoser_reset_uid,
        token: erin.djoser_reset_token,
        new_password: NEW_PASSWORD,
      });
    expect((await confirm()).status).toBe(204);
    const again = await confirm();
    expect([again.status, again.body]).toEqual([400, { token: ['Invalid token for given user.'] }]);
  });

  it('a refresh token blacklisted in Django is refused even when it is the first thing seen of its user', async () => {
    const carol = byName('carol'); // not seen before this request
    const refused = await t.http.post('/api/token/refresh/', {
      refresh: carol.blacklisted_refresh,
    });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    const verify = await t.http.post('/api/token/verify/', { token: carol.blacklisted_refresh });
    expect(verify.status).toBe(401);
    expect((await t.http.post('/api/token/refresh/', { refresh: carol.refresh })).status).toBe(200);
  });

  it('each first credential brings its user over: login by username, Token key; an access token works', async () => {
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map(byName);
    const login = await t.http.post(
      '/auth/login/',
      { username: alice.username, password: alice.password },
      client,
    );
    expect(login.status).toBe(200);
    expect(login.body.user.pk).toBe(alice.id);

    const byKey = await t.http.get('/authentication/user/', {
      headers: { ...client.headers, Authorization: `Token ${bob.token_key}` },
    });
    expect(byKey.status).toBe(200);
    expect(byKey.body.pk).toBe(bob.id);

    const byJwt = await t.http.get('/auth/user/', {
      headers: { Authorization: `JWT ${carol.access}` },
    });
    expect(byJwt.status).toBe(200);
    expect(byJwt.body.pk).toBe(carol.id);
  });

  it('fastapi-users identities come over by token subject and by e-mail at login', async () => {
    const [kim, lee] = fastapi.clients.users;
    const me = await t.http.get('/users/me', {
      headers: { ...client.headers, Authorization: `Bearer ${kim.token}` },
    });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(kim.id);
    const login = await t.http.request('POST', '/auth/jwt/login', {
      headers: FORM,
      body: new URLSearchParams({ username: lee.email, password: lee.password }).toString(),
    });
    expect(login.status).toBe(200);
  });

  it('records one `import` audit event per user brought over, with the request that did it', async () => {
    const alice = byName('alice');
    const again = await t.http.post(
      '/auth/login/',
      { username: alice.username, password: alice.password },
      client,
    );
    expect(again.status).toBe(200);
    const events = await importEvents();
    const [kim, lee] = fastapi.clients.users;
    const users = t.app.get(UsersService);
    const gatehouseId = async (uuid: string) => (await users.findByUuid(uuid))!.id;
    // In the order the specs above first used each one: three reset links, a refresh
    // token, a login, a Token key, an access token's subject, a login by e-mail.
    expect(events.map((e) => [e.userId, e.identifier, e.reason, e.details])).toEqual([
      [byName('frank').id, null, 'trickle', 'source=django outcome=created via=id'],
      [byName('grace').id, null, 'trickle', 'source=django outcome=created via=id'],
      [byName('erin').id, null, 'trickle', 'source=django outcome=created via=id'],
      [byName('carol').id, null, 'trickle', 'source=django outcome=created via=id'],
      [alice.id, 'alice', 'trickle', 'source=django outcome=created via=username'],
      [byName('bob').id, null, 'trickle', 'source=django outcome=created via=token_key'],
      [await gatehouseId(kim.id), null, 'trickle', 'source=fastapi-users outcome=created via=uuid'],
      [
        await gatehouseId(lee.id),
        lee.email,
        'trickle',
        'source=fastapi-users outcome=created via=email',
      ],
    ]);
    // A safe read runs outside the request context, but the first use of a credential
    // (a Token key, a fastapi-users token) imports inside it: seen from where it came too.
    for (const importedBy of [byName('bob').id, await gatehouseId(kim.id)]) {
      expect(events.find((e) => e.userId === importedBy)).toEqual(
        expect.objectContaining({ address: '192.0.2.77', userAgent: AGENT }),
      );
    }
    // The login that brought alice over, seen from where it came; the second one imported nothing.
    expect(events.filter((e) => e.identifier === 'alice')).toEqual([
      expect.objectContaining({ outcome: 'success', address: '192.0.2.77', userAgent: AGENT }),
    ]);
    const stored = JSON.stringify(events);
    const secrets = [
      ...django.clients.users.flatMap((u) => [
        u.password,
        u.token_key,
        u.access,
        u.refresh,
        u.blacklisted_refresh,
        u.reset_token,
        u.djoser_reset_token,
      ]),
      ...fastapi.clients.users.flatMap((u) => [u.password, u.token]),
    ].filter((secret): secret is string => !!secret);
    for (const secret of secrets) expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/pbkdf2_sha256|argon2|bcrypt/);
  });

  it('what neither store holds stays unknown, and a skipped row is not imported', async () => {
    const unknown = await t.http.post('/api/token/', {
      email: 'nobody@example.com',
      password: 'x-1234567',
    });
    expect(unknown.status).toBe(401);
    const badHash = await t.http.post('/auth/login/', {
      username: 'oldhash',
      password: 'whatever-123',
    });
    expect(badHash.status).toBe(400);
  });

  it('an unreachable legacy database makes lookups misses, never a 500', async () => {
    const down = await startTestApp({
      env: {
        JWT_SECRET: django.clients.secret_key,
        LEGACY_DJANGO_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
        LEGACY_FASTAPI_USERS_DATABASE_URL: 'sqlite:/nonexistent/dir/legacy.sqlite3',
      },
    });
    try {
      const alice = byName('alice');
      const login = await down.http.post('/api/token/', {
        email: alice.email,
        password: alice.password,
      });
      expect(login.status).toBe(401);
      const key = await down.http.get('/authentication/user/', {
        headers: { Authorization: `Token ${alice.token_key}` },
      });
      expect(key.status).toBe(401);
      expect(key.body).toEqual({ detail: 'Invalid token.' });
    } finally {
      await down.close();
    }
  });
});
