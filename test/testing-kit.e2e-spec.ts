import { Controller, type DynamicModule, Get, Module, Post } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  Authenticated,
  CurrentPrincipal,
  type GatehouseConfig,
  GatehouseModule,
  loadConfig,
  type Principal,
  SurfaceDialect,
  type User,
  UsersService,
} from '@gatehouse-auth/nestjs';
import {
  type LoginScheme,
  mailbox,
  type Mailbox,
  parseLink,
  startApp,
  type TestApp,
  type ThrowawayDatabaseOptions,
  withPostgresClient,
} from '@gatehouse-auth/nestjs/testing';
import { postgresServer } from './support/services';

/** A consumer's own protected endpoint, beside Gatehouse's surfaces. */
@SurfaceDialect('drf')
@Controller('orders')
class OrdersController {
  @Authenticated()
  @Get()
  list(@CurrentPrincipal() principal: Principal<User>) {
    return { owner: principal.user.email, scheme: principal.scheme };
  }

  @Authenticated()
  @Post()
  place(@CurrentPrincipal() principal: Principal<User>) {
    return { placed_by: principal.user.email, scheme: principal.scheme };
  }
}

/** The consumer's root module: all of Gatehouse and its own controller. */
@Module({})
class ShopModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    return {
      module: ShopModule,
      imports: [GatehouseModule.forRoot({ config })],
      controllers: [OrdersController],
    };
  }
}

const COOKIE_MODE = { JWT_AUTH_COOKIE: 'shop-auth', JWT_AUTH_REFRESH_COOKIE: 'shop-refresh' };
const SCHEMES: LoginScheme[] = ['JWT', 'Bearer', 'Token', 'cookie'];

const server = postgresServer();
const databases: [string, ThrowawayDatabaseOptions | undefined][] = [
  ['SQLite', { postgres: false }],
  ['PostgreSQL (a schema of its own)', server ? { postgres: server } : undefined],
];

describe.each(databases)('the test kit on %s', (_name, database) => {
  const maybe = database ? it : it.skip;
  let shop: TestApp;
  let mails: Mailbox;
  beforeAll(async () => {
    if (!database) return;
    mails = await mailbox();
    shop = await startApp((config) => ShopModule.forRoot(config), {
      database,
      mailbox: mails,
      env: { ...COOKIE_MODE, FRONTEND_URL: 'https://shop.example' },
    });
  });
  afterAll(async () => {
    await shop?.close();
    await mails?.stop();
  });

  maybe('starts the host module on a throw-away database on a loopback port', async () => {
    expect(shop.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(shop.database.kind).toBe(database!.postgres ? 'postgres' : 'sqlite');
    const anonymous = await shop.http.get('/orders');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  maybe('createUser stores the user through UsersService, with the given flags', async () => {
    const made = await shop.createUser({
      email: 'Staff@Shop.example',
      username: 'staffer',
      is_staff: true,
      verified: true,
    });
    expect(made.password).toEqual(expect.any(String));
    const stored = await shop.app.get(UsersService).findByEmail('staff@shop.example');
    expect(stored).toMatchObject({
      id: made.user.id,
      username: 'staffer',
      isStaff: true,
      isSuperuser: false,
      isActive: true,
      isVerified: true,
    });
    // A real hash, checked as any login checks it.
    expect(stored!.password).toMatch(/^\$argon2id\$/);
    const other = await shop.createUser();
    expect(other.email).not.toBe(made.email);
  });

  it.each(SCHEMES)(
    'loginAs(user, %s) logs in through the real endpoint and reaches the protected route',
    async (scheme) => {
      if (!database) return;
      const buyer = await shop.createUser();
      const client = await shop.loginAs(buyer, scheme);
      expect(client.scheme).toBe(scheme);
      const read = await client.get('/orders');
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ owner: buyer.email, scheme });
      // An unsafe method too: in cookie mode the client echoes the CSRF token.
      const placed = await client.post('/orders');
      expect(placed.status).toBe(201);
      expect(placed.body).toEqual({ placed_by: buyer.email, scheme });
    },
  );

  maybe('the cookie client is refused without its CSRF echo, as a browser would be', async () => {
    const buyer = await shop.createUser();
    const client = await shop.loginAs(buyer, 'cookie');
    expect(client.cookies.get('shop-auth')).toBe(client.credentials.access);
    const forged = await client.post('/orders', undefined, { headers: { 'x-csrftoken': 'x' } });
    expect(forged.status).toBe(403);
  });

  maybe('loginAs says what the endpoint answered when the login is refused', async () => {
    const gone = await shop.createUser({ is_active: false });
    await expect(shop.loginAs(gone, 'JWT')).rejects.toThrow(
      /POST \/accounts\/auth\/jwt\/create\/ answered 401 .*No active account found/,
    );
  });

  maybe('mailbox catches the reset mail; its parsed link resets the password', async () => {
    const forgetful = await shop.createUser();
    const asked = await shop.http.post('/auth/password/reset/', { email: forgetful.email });
    expect(asked.status).toBe(200);
    const link = await mails.waitForLink(forgetful.email, 'reset');
    expect(link.url).toMatch(/^https:\/\/shop\.example\/password-reset\/confirm\//);
    expect(link.uid).toBe(forgetful.user.id.toString(36));
    expect(link.token).toMatch(/^[0-9a-z]+-[0-9a-f]+$/);

    const confirmed = await shop.http.post('/auth/password/reset/confirm/', {
      uid: link.uid,
      token: link.token,
      new_password1: 'Quartz-Zebra-82',
      new_password2: 'Quartz-Zebra-82',
    });
    expect(confirmed.status).toBe(200);
    await expect(shop.loginAs(forgetful, 'Bearer')).rejects.toThrow(/LOGIN_BAD_CREDENTIALS/);
    const again = await shop.loginAs(
      { email: forgetful.email, password: 'Quartz-Zebra-82' },
      'Token',
    );
    expect((await again.get('/orders')).status).toBe(200);
  });
});

describe('the test kit on PostgreSQL, schema mode', () => {
  const maybe = server ? it : it.skip;

  maybe(
    "puts the app's tables in a fresh schema of the given database, dropped on close",
    async () => {
      const shop = await startApp((config) => ShopModule.forRoot(config), {
        database: { postgres: server },
      });
      const schema = shop.database.schema!;
      const tablesIn = async (name: string) =>
        (
          await withPostgresClient(server!, (client) =>
            client.query<{ count: string }>(
              'SELECT count(*) FROM information_schema.tables WHERE table_schema = $1',
              [name],
            ),
          )
        ).rows[0].count;
      try {
        expect(schema).toMatch(/^gatehouse_test_\d+_[0-9a-f]{8}$/);
        // The server's database itself: no CREATE DATABASE needed.
        expect(new URL(shop.database.url).pathname).toBe(new URL(server!).pathname);
        expect(Number(await tablesIn(schema))).toBeGreaterThan(5);
        const made = await shop.createUser({ email: 'schema@shop.example' });
        expect(
          await shop.database.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
            made.user.id,
          ]),
        ).toEqual([{ email: 'schema@shop.example' }]);
      } finally {
        await shop.close();
      }
      expect(await tablesIn(schema)).toBe('0');
      const left = await withPostgresClient(server!, (client) =>
        client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]),
      );
      expect(left.rowCount).toBe(0);
    },
  );

  maybe('drops the schema it made when the app fails to boot', async () => {
    const ours = async () =>
      (
        await withPostgresClient(server!, (client) =>
          client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name LIKE $1', [
            `gatehouse\\_test\\_${process.pid}\\_%`,
          ]),
        )
      ).rowCount;
    const before = await ours();
    await expect(
      startApp((config) => ShopModule.forRoot(config), {
        database: { postgres: server },
        env: { JWT_ALGORITHM: 'none' },
      }),
    ).rejects.toThrow(/JWT_ALGORITHM/);
    expect(await ours()).toBe(before);
  });
});

/** A host module that reads its settings itself, from the environment. */
@Module({
  imports: [GatehouseModule.forRootAsync({ useFactory: () => loadConfig(process.env) })],
  controllers: [OrdersController],
})
class EnvironmentShopModule {}

describe('startApp with a module as it is, and with an adapter of the host', () => {
  it('gives a module that reads process.env the test settings during the boot, and restores them', async () => {
    const before = process.env.DATABASE_URL;
    const shop = await startApp(EnvironmentShopModule, { database: { postgres: false } });
    try {
      expect(process.env.DATABASE_URL).toBe(shop.database.url);
      const buyer = await shop.createUser();
      const client = await shop.loginAs(buyer, 'JWT');
      expect((await client.get('/orders')).body).toEqual({ owner: buyer.email, scheme: 'JWT' });
    } finally {
      await shop.close();
    }
    expect(process.env.DATABASE_URL).toBe(before);
  });

  it('boots on the adapter a factory makes (the host’s bootstrap, not createGatehouseApp)', async () => {
    let made: FastifyAdapter | undefined;
    const shop = await startApp<NestFastifyApplication>((config) => ShopModule.forRoot(config), {
      database: { postgres: false },
      adapter: () => (made = new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } })),
    });
    try {
      expect(shop.app.getHttpAdapter()).toBe(made);
      // createGatehouseApp would have mounted the Swagger document; this host did not.
      expect((await shop.http.get('/docs-json')).status).toBe(404);
      const client = await shop.loginAs(await shop.createUser(), 'Bearer');
      expect((await client.get('/orders')).status).toBe(200);
    } finally {
      await shop.close();
    }
  });
});

describe('parseLink', () => {
  it('reads the uid/token/key/ticket of each mailed link', () => {
    expect(parseLink('https://f.example/password-reset/confirm/3f/c2x-ab12/')).toEqual({
      kind: 'reset',
      url: 'https://f.example/password-reset/confirm/3f/c2x-ab12/',
      uid: '3f',
      token: 'c2x-ab12',
    });
    expect(parseLink('https://f.example/verify-email/MQ:1u:xyz/')).toMatchObject({
      kind: 'activation',
      key: 'MQ:1u:xyz',
    });
    expect(parseLink('https://f.example/verify?token=a.b.c')).toMatchObject({
      kind: 'verification',
      token: 'a.b.c',
    });
    expect(parseLink('https://f.example/reset-password?token=a.b.c')).toMatchObject({
      kind: 'fastapi-reset',
      token: 'a.b.c',
    });
    expect(parseLink('https://g.example/auth/login-link/?ticket=t1')).toMatchObject({
      kind: 'login',
      ticket: 't1',
    });
  });
});
