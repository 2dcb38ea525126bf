import { createGatehouseApp, loadConfig, UsersService } from '@gatehouse-auth/nestjs';
import { BasicAuthAppModule } from '../src/app.module';
import { AuditService } from '../../../src/audit/audit.service';
import {
  GENEROUS_THROTTLE_RATES,
  HttpClient,
  type HttpResponse,
  testEnvironment,
} from '../../../test/support/test-app';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

type App = Awaited<ReturnType<typeof createGatehouseApp>>;

async function listen(app: App): Promise<HttpClient> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  return new HttpClient(
    `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  );
}

/** A consumer's passport strategy (HTTP Basic) on every protected route of every surface. */
describe('examples/passport-basic', () => {
  let database: TestDatabase;
  let app: App;
  let http: HttpClient;
  const basic = (email: string, password: string) => ({
    Authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig(testEnvironment(database.url));
    app = await createGatehouseApp(BasicAuthAppModule.forRoot(config), config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    http = new HttpClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    const users = app.get(UsersService);
    await users.create({ email: 'road@runner.example', password: 'Meep-Meep-2024' });
    await users.create({ email: 'staff@acme.example', password: 'Staff-Pass-2024', isStaff: true });
    await users.create({
      email: 'gone@acme.example',
      password: 'Gone-Pass-2024',
      isActive: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it.each([
    ['/accounts/auth/users/me/', 'email'],
    ['/authentication/user/', 'email'],
    ['/auth/user/', 'email'],
    ['/users/me', 'email'],
    ['/api/v1/resource', null],
  ])('GET %s accepts Basic credentials', async (path, field) => {
    const res = await http.get(path, { headers: basic('road@runner.example', 'Meep-Meep-2024') });
    expect(res.status).toBe(200);
    if (field) expect(res.body[field]).toBe('road@runner.example');
  });

  it('checks staff access as for any other scheme', async () => {
    const user = await http.get('/api/users/', {
      headers: basic('road@runner.example', 'Meep-Meep-2024'),
    });
    expect(user.status).toBe(403);
    const staff = await http.get('/api/users/', {
      headers: basic('staff@acme.example', 'Staff-Pass-2024'),
    });
    expect(staff.status).toBe(200);
  });

  it("refuses a wrong password or an inactive user with DRF's 401 and the Basic challenge", async () => {
    for (const headers of [
      basic('road@runner.example', 'wrong-password'),
      basic('gone@acme.example', 'Gone-Pass-2024'),
    ]) {
      const res = await http.get('/accounts/auth/users/me/', { headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: 'Incorrect authentication credentials.' });
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Users"');
    }
  });

  it("refuses them in FastAPI's words on fastapi-users' routes", async () => {
    const res = await http.get('/users/me', {
      headers: basic('road@runner.example', 'wrong-password'),
    });
    expect(res.status).toBe(401);
    expect(res.text).toBe('{"detail":"Unauthorized"}');
  });

  it('leaves the built-in schemes as they are', async () => {
    const login = await http.post('/api/token/', {
      email: 'road@runner.example',
      password: 'Meep-Meep-2024',
    });
    const res = await http.get('/accounts/auth/users/me/', {
      headers: { Authorization: `JWT ${login.body.access}` },
    });
    expect(res.status).toBe(200);
  });

  it('lists the Basic scheme in the document, on every protected operation only', async () => {
    const { body: document } = await http.get('/docs-json');
    expect(document.components.securitySchemes.Basic).toMatchObject({
      type: 'http',
      scheme: 'basic',
    });
    const me = document.paths['/accounts/auth/users/me/'].get;
    expect(me.security).toEqual(expect.arrayContaining([{ JWT: [] }, { Basic: [] }]));
    const login = document.paths['/api/token/'].post;
    expect(login.security ?? []).not.toEqual(expect.arrayContaining([{ Basic: [] }]));
  });
});

/**
 * The scheme's credential checks under the logins' default budgets (`login`: 10
 * a minute per account from an address, `login_address`: 60 per address), with
 * nothing written by the consumer: its strategy above is the docs' code.
 */
describe('examples/passport-basic: every credential check is throttled and audited as a login', () => {
  let database: TestDatabase;
  let app: App;
  let http: HttpClient;
  const basic = (email: string, password: string) =>
    `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;
  const from = (address: string, authorization?: string) => ({
    headers: {
      'x-forwarded-for': address,
      ...(authorization ? { authorization } : {}),
    },
  });
  const PASSWORD = 'Meep-Meep-2024';

  /** Sends `attempt` until it answers 429: the attempt that did, and that answer. */
  async function untilThrottled(attempt: () => Promise<HttpResponse>, atMost = 80) {
    const statuses: number[] = [];
    for (let n = 1; n <= atMost; n++) {
      const res = await attempt();
      if (res.status === 429) return { n, res, statuses };
      statuses.push(res.status);
    }
    throw new Error(`not throttled within ${atMost} attempts: ${statuses.join(' ')}`);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    // The login scopes keep their defaults (DEFAULT_THROTTLE_RATES); the rest stay generous.
    const rates = GENEROUS_THROTTLE_RATES.split(',')
      .filter((rate) => !rate.startsWith('login'))
      .join(',');
    const config = loadConfig(
      testEnvironment(database.url, { TRUST_PROXY: 'true', DEFAULT_THROTTLE_RATES: rates }),
    );
    app = await createGatehouseApp(BasicAuthAppModule.forRoot(config), config);
    http = await listen(app);
    const users = app.get(UsersService);
    for (const name of ['wile', 'coyote', 'shared', 'fastapi', 'steady']) {
      await users.create({ email: `${name}@acme.example`, password: PASSWORD });
    }
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('refuses the guesses at one account with 429 at the attempt POST /api/token/ does, each failure audited', async () => {
    const login = await untilThrottled(() =>
      http.post('/api/token/', { email: 'wile@acme.example', password: 'guess' }, from('10.1.0.1')),
    );
    const guesses = await untilThrottled(() =>
      http.get('/accounts/auth/users/me/', from('10.1.0.2', basic('coyote@acme.example', 'guess'))),
    );
    expect(login.n).toBe(11);
    expect(guesses.n).toBe(login.n);
    expect(new Set(guesses.statuses)).toEqual(new Set([401]));
    const seconds = Number(guesses.res.headers.get('retry-after'));
    expect(seconds).toBeGreaterThan(0);
    expect(guesses.res.body).toEqual({
      detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    });

    const audit = app.get(AuditService);
    await audit.flush();
    const rows = (await audit.latest(500)).filter((row) => row.address === '10.1.0.2');
    const failures = rows.filter((row) => row.type === 'login');
    expect(failures).toHaveLength(guesses.n - 1);
    for (const row of failures) {
      expect(row).toMatchObject({
        outcome: 'failure',
        identifier: 'coyote@acme.example',
        surface: 'scheme:Basic',
        reason: 'bad_credentials',
      });
    }
    expect(rows.filter((row) => row.type === 'throttled')).toEqual([
      expect.objectContaining({ outcome: 'failure', reason: 'login' }),
    ]);
  });

  it('still refuses the right password from that address, and lets its owner in from another', async () => {
    const attacker = await http.get(
      '/accounts/auth/users/me/',
      from('10.1.0.2', basic('coyote@acme.example', PASSWORD)),
    );
    expect(attacker.status).toBe(429);
    expect(attacker.body.detail).toMatch(
      /^Request was throttled\. Expected available in \d+ seconds?\.$/,
    );
    const owner = await http.get(
      '/accounts/auth/users/me/',
      from('10.1.0.3', basic('coyote@acme.example', PASSWORD)),
    );
    expect([owner.status, owner.body.email]).toEqual([200, 'coyote@acme.example']);
    // The account's login count is the one the scheme spent: its login endpoint refuses too.
    const login = await http.post(
      '/api/token/',
      { email: 'coyote@acme.example', password: PASSWORD },
      from('10.1.0.2'),
    );
    expect(login.status).toBe(429);
  });

  it('counts guesses through the scheme and at the login endpoint as one budget', async () => {
    for (let n = 1; n <= 5; n++) {
      const res = await http.post(
        '/api/token/',
        { email: 'shared@acme.example', password: 'guess' },
        from('10.1.0.4'),
      );
      expect(res.status).toBe(401);
    }
    const rest = await untilThrottled(() =>
      http.get('/auth/user/', from('10.1.0.4', basic('SHARED@acme.example', 'guess'))),
    );
    expect(rest.n).toBe(6);
  });

  it("answers FastAPI's 429 on fastapi-users' routes", async () => {
    const guesses = await untilThrottled(() =>
      http.get('/users/me', from('10.1.0.5', basic('fastapi@acme.example', 'guess'))),
    );
    expect(guesses.n).toBe(11);
    expect(new Set(guesses.statuses)).toEqual(new Set([401]));
    expect(guesses.res.text).toBe('{"detail":"Too Many Requests"}');
    expect(Number(guesses.res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts no successful check', async () => {
    for (let n = 1; n <= 15; n++) {
      const res = await http.get(
        '/accounts/auth/users/me/',
        from('10.1.0.6', basic('steady@acme.example', PASSWORD)),
      );
      expect([n, res.status]).toEqual([n, 200]);
    }
  });

  it('counts a credential naming no account per address only', async () => {
    const garbled = `Basic ${Buffer.from('no colon here').toString('base64')}`;
    const refused = await untilThrottled(() =>
      http.get('/accounts/auth/users/me/', from('10.1.0.7', garbled)),
    );
    expect(refused.n).toBe(61);
    expect(new Set(refused.statuses)).toEqual(new Set([401]));
  });
});
