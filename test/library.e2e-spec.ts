import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  Body,
  Controller,
  Injectable,
  Module,
  Post,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { IsEmail, IsString, MinLength } from 'class-validator';
import { NestFactory } from '@nestjs/core';
import { OnEvent } from '@nestjs/event-emitter';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGatehouseApp } from '../src/app.factory';
import { Argon2idHasher } from '../src/accounts/hashers/argon2id.hasher';
import type { PasswordHasher } from '../src/accounts/hashers/password-hasher';
import { UsersService } from '../src/accounts/users.service';
import type { MailMessage, MailTransport } from '../src/mail/mail-transport';
import { MailService } from '../src/mail/mail.service';
import {
  GatehouseEvent,
  type PasswordChangedEvent,
  type UserLoggedInEvent,
} from '../src/events/gatehouse-events';
import { GatehouseConfig } from '../src/config/gatehouse-config';
import { loadConfig } from '../src/config/load-config';
import { GatehouseModule } from '../src/gatehouse/gatehouse.module';
import { Public } from '../src/access/access.decorators';
import { SurfaceDialect } from '../src/dialects/dialect.decorators';
import { DrfCharField } from '@gatehouse-auth/nestjs/drf';
import { FastApiBody, PydanticBody, PydanticStr } from '@gatehouse-auth/nestjs/fastapi';
import { HttpClient, testEnvironment } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Gatehouse inside a consumer's own Nest app, as GatehouseModule composes it. */
const PASSWORD = 'Zebra-Quartz-71';

async function listen(app: NestFastifyApplication): Promise<HttpClient> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  return new HttpClient(
    `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
  );
}

/** A consumer's root module (made from its config) on a database of its own, as createGatehouseApp boots it. */
interface ConsumerApp {
  app: NestFastifyApplication;
  http: HttpClient;
  close(): Promise<void>;
}

async function startConsumerApp(
  root: (config: GatehouseConfig) => Parameters<typeof createGatehouseApp>[0],
): Promise<ConsumerApp> {
  const database = await createTestDatabase();
  const config = loadConfig(testEnvironment(database.url));
  const app = await createGatehouseApp(root(config), config);
  return {
    app,
    http: await listen(app),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

describe('GatehouseModule in an app built with plain NestFactory.create', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let http: HttpClient;
  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig(testEnvironment(database.url));
    @Module({ imports: [GatehouseModule.forRoot({ config })] })
    class ConsumerAppModule {}
    // No createGatehouseApp: the guard, pipe, filters and parsers come with the module.
    app = await NestFactory.create<NestFastifyApplication>(
      ConsumerAppModule,
      new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } }),
      { logger: false },
    );
    http = await listen(app);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("answers a malformed body in DRF's dialect", async () => {
    const broken = await http.request('POST', '/api/token', {
      body: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toMatch(/^JSON parse error - /);
    const missing = await http.post('/api/token', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      email: ['This field is required.'],
      password: ['This field is required.'],
    });
  });

  it('answers every path with and without its trailing slash, as the standalone service does', async () => {
    for (const path of ['/api/token/', '/api/token', '/accounts/auth/jwt/create/']) {
      const missing = await http.post(path, {});
      expect([path, missing.status]).toEqual([path, 400]);
    }
  });

  it('refuses a protected route without credentials, and a wrong method with 405', async () => {
    const me = await http.get('/accounts/auth/users/me');
    expect(me.status).toBe(401);
    expect(me.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(me.headers.get('www-authenticate')).toBe('JWT realm="api"');
    const wrongMethod = await http.get('/api/token');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it("answers fastapi-users routes in FastAPI's dialect", async () => {
    const me = await http.get('/users/me');
    expect(me.status).toBe(401);
    expect(me.body).toEqual({ detail: 'Unauthorized' });
  });
});

describe('GatehouseModule in a host app whose Fastify routes one slash form only', () => {
  it('refuses to boot, saying what to add, rather than answering 405 to Django clients', async () => {
    const database = await createTestDatabase();
    try {
      const config = loadConfig(testEnvironment(database.url));
      @Module({ imports: [GatehouseModule.forRoot({ config })] })
      class SlashBlindAppModule {}
      const booting = NestFactory.create<NestFastifyApplication>(
        SlashBlindAppModule,
        new FastifyAdapter(),
        { logger: false, abortOnError: false },
      );
      await expect(booting).rejects.toThrow(
        /new FastifyAdapter\(\{ routerOptions: \{ ignoreTrailingSlash: true \} \}\)/,
      );
    } finally {
      await database.drop();
    }
  });
});

/** A body class with no DRF fields: nothing would validate it. */
class UnvalidatedBody {
  name?: string;
}

@SurfaceDialect('drf')
@Controller()
class UnvalidatedBodyController {
  @Public()
  @Post('unvalidated/')
  take(@Body() body: UnvalidatedBody) {
    return body;
  }
}

describe('Validation fails closed', () => {
  it('refuses to boot with a surface @Body() its dialect does not validate', async () => {
    const database = await createTestDatabase();
    try {
      const config = loadConfig(testEnvironment(database.url));
      @Module({ controllers: [UnvalidatedBodyController] })
      class LooseModule {}
      await expect(
        createGatehouseApp(
          GatehouseModule.forRoot({ config, surfaces: { health: true } }),
          config,
        ).then(async (app) => app.close()),
      ).resolves.toBeUndefined();
      await expect(
        createGatehouseApp(
          {
            module: LooseModule,
            imports: [GatehouseModule.forRoot({ config, surfaces: { health: true } })],
          },
          config,
        ),
      ).rejects.toThrow(/UnvalidatedBodyController\.take/);
    } finally {
      await database.drop();
    }
  });
});

/** A consumer's DRF serializer, declared with the fields the package's `/drf` subpath exports. */
class NoteSerializer {
  @DrfCharField({ maxLength: 10 })
  text!: string;
}

/** The same body, FastAPI's way, with the `/fastapi` subpath's fields. */
@PydanticBody('model')
class NoteModel {
  @PydanticStr()
  text!: string;
}

@SurfaceDialect('drf')
@Controller()
class ConsumerDrfNotesController {
  @Public()
  @Post('drf-notes/')
  take(@Body() body: NoteSerializer) {
    return { text: body.text };
  }
}

@SurfaceDialect('fastapi')
@Controller()
class ConsumerFastApiNotesController {
  @Public()
  @Post('fastapi-notes')
  take(@FastApiBody() body: NoteModel) {
    return { text: body.text };
  }
}

describe("A consumer's own controllers, with the field decorators of /drf and /fastapi", () => {
  let consumer: ConsumerApp;
  let http: HttpClient;
  beforeAll(async () => {
    consumer = await startConsumerApp((config) => {
      @Module({
        imports: [GatehouseModule.forRoot({ config, surfaces: { health: true } })],
        controllers: [ConsumerDrfNotesController, ConsumerFastApiNotesController],
      })
      class NotesAppModule {}
      return NotesAppModule;
    });
    http = consumer.http;
  });
  afterAll(() => consumer.close());

  it("answers DRF's field errors under @SurfaceDialect('drf')", async () => {
    expect((await http.post('/drf-notes/', { text: 'hello' })).body).toEqual({ text: 'hello' });
    const missing = await http.post('/drf-notes/', {});
    expect([missing.status, missing.body]).toEqual([400, { text: ['This field is required.'] }]);
    const long = await http.post('/drf-notes/', { text: 'x'.repeat(11) });
    expect([long.status, long.body]).toEqual([
      400,
      { text: ['Ensure this field has no more than 10 characters.'] },
    ]);
  });

  it("answers FastAPI's 422 under @SurfaceDialect('fastapi')", async () => {
    expect((await http.post('/fastapi-notes', { text: 'hello' })).body).toEqual({ text: 'hello' });
    const missing = await http.post('/fastapi-notes', {});
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({
      detail: [{ type: 'missing', loc: ['body', 'text'], msg: 'Field required', input: {} }],
    });
  });
});

/** A consumer's DTO with plain class-validator decorators, as in any Nest app. */
class SignupDto {
  @IsEmail()
  email!: string;

  @IsString()
  @MinLength(8)
  password!: string;
}

/** No dialect: a Nest controller like any other. */
@Controller()
class PlainSignupsController {
  @Public()
  @UsePipes(new ValidationPipe())
  @Post('plain-signups/')
  validated(@Body() body: SignupDto) {
    return { email: body.email };
  }

  @Public()
  @Post('plain-signups/unpiped/')
  unpiped(@Body() body: SignupDto) {
    return { received: body };
  }
}

@SurfaceDialect('drf')
@Controller()
class DrfSignupsController {
  @Public()
  @Post('drf-signups/')
  take(@Body() body: SignupDto) {
    return { email: body.email, dto: body instanceof SignupDto };
  }
}

@SurfaceDialect('fastapi')
@Controller()
class FastApiSignupsController {
  @Public()
  @Post('fastapi-signups')
  take(@Body() body: SignupDto) {
    return { email: body.email, dto: body instanceof SignupDto };
  }
}

const SIGNUPS = [PlainSignupsController, DrfSignupsController, FastApiSignupsController];
const BAD_SIGNUP = { email: 'nope', password: 'short' };

describe("A consumer's own controllers with class-validator DTOs", () => {
  let consumer: ConsumerApp;
  let http: HttpClient;
  beforeAll(async () => {
    consumer = await startConsumerApp((config) => {
      @Module({
        imports: [GatehouseModule.forRoot({ config, surfaces: { health: true } })],
        controllers: SIGNUPS,
      })
      class SignupsAppModule {}
      return SignupsAppModule;
    });
    http = consumer.http;
  });
  afterAll(() => consumer.close());

  it("answers Nest's own 400 without a dialect, from the ValidationPipe the controller applies", async () => {
    const res = await http.post('/plain-signups/', BAD_SIGNUP);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      message: expect.arrayContaining([
        'email must be an email',
        'password must be longer than or equal to 8 characters',
      ]),
      error: 'Bad Request',
      statusCode: 400,
    });
    const good = await http.post('/plain-signups/', {
      email: 'a@acme.example',
      password: 'long enough',
    });
    expect([good.status, good.body]).toEqual([201, { email: 'a@acme.example' }]);
  });

  it('validates nothing without a pipe, as Nest does', async () => {
    const res = await http.post('/plain-signups/unpiped/', BAD_SIGNUP);
    expect([res.status, res.body]).toEqual([201, { received: BAD_SIGNUP }]);
  });

  it("answers DRF's field errors under @SurfaceDialect('drf')", async () => {
    const res = await http.post('/drf-signups/', BAD_SIGNUP);
    expect([res.status, res.body]).toEqual([
      400,
      {
        email: ['email must be an email'],
        password: ['password must be longer than or equal to 8 characters'],
      },
    ]);
    const list = await http.post('/drf-signups/', [1]);
    expect([list.status, list.body]).toEqual([
      400,
      { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] },
    ]);
    const good = await http.post('/drf-signups/', {
      email: 'a@acme.example',
      password: 'long enough',
    });
    expect([good.status, good.body]).toEqual([201, { email: 'a@acme.example', dto: true }]);
  });

  it("answers FastAPI's 422 under @SurfaceDialect('fastapi')", async () => {
    const res = await http.post('/fastapi-signups', { email: 'nope' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      detail: [
        { type: 'isEmail', loc: ['body', 'email'], msg: 'email must be an email', input: 'nope' },
        {
          type: 'missing',
          loc: ['body', 'password'],
          msg: 'Field required',
          input: { email: 'nope' },
        },
      ],
    });
    const broken = await http.request('POST', '/fastapi-signups', {
      body: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(422);
    expect(broken.body.detail[0]).toMatchObject({ type: 'json_invalid', msg: 'JSON decode error' });
    const good = await http.post('/fastapi-signups', {
      email: 'a@acme.example',
      password: 'long enough',
    });
    expect([good.status, good.body]).toEqual([201, { email: 'a@acme.example', dto: true }]);
  });
});

describe('A global ValidationPipe of the host app', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let http: HttpClient;
  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig(testEnvironment(database.url));
    @Module({
      imports: [GatehouseModule.forRoot({ config })],
      controllers: [PlainSignupsController],
    })
    class GlobalPipeAppModule {}
    app = await NestFactory.create<NestFastifyApplication>(
      GlobalPipeAppModule,
      new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } }),
      { logger: false },
    );
    app.useGlobalPipes(new ValidationPipe());
    http = await listen(app);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("answers Nest's 400 on the host's routes, and leaves the surfaces' own answers as they are", async () => {
    const host = await http.post('/plain-signups/unpiped/', BAD_SIGNUP);
    expect(host.status).toBe(400);
    expect(host.body).toMatchObject({ error: 'Bad Request', statusCode: 400 });
    expect(host.body.message).toContain('email must be an email');
    const drf = await http.post('/api/token/', {});
    expect([drf.status, drf.body]).toEqual([
      400,
      { email: ['This field is required.'], password: ['This field is required.'] },
    ]);
    const fastapi = await http.request('POST', '/auth/jwt/login', {
      body: new URLSearchParams({ username: 'nobody@acme.example', password: 'wrong' }),
    });
    expect([fastapi.status, fastapi.body]).toEqual([400, { detail: 'LOGIN_BAD_CREDENTIALS' }]);
  });
});

describe('GatehouseModule.forRoot with only the SimpleJWT surface, under /v2/', () => {
  let consumer: ConsumerApp;
  let http: HttpClient;
  beforeAll(async () => {
    consumer = await startConsumerApp((config) =>
      GatehouseModule.forRoot({
        config,
        surfaces: { simplejwt: { prefix: 'v2' }, admin: { prefix: 'v2' } },
      }),
    );
    http = consumer.http;
    await consumer.app.get(UsersService).create({ email: 'v2@example.com', password: PASSWORD });
  });
  afterAll(() => consumer.close());

  it('serves seed 004 under /v2/, with its bodies and errors', async () => {
    const pair = await http.post('/v2/api/token/', { email: 'v2@example.com', password: PASSWORD });
    expect(pair.status).toBe(200);
    expect(Object.keys(pair.body)).toEqual(['refresh', 'access']);
    expect((await http.post('/v2/api/token/verify', { token: pair.body.access })).body).toEqual([]);
    const refreshed = await http.post('/v2/api/token/refresh/', { refresh: pair.body.refresh });
    expect(Object.keys(refreshed.body)).toEqual(['access']);
    const wrong = await http.post('/v2/api/token/', { email: 'v2@example.com', password: 'x' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ detail: 'No active account found with the given credentials' });
    // The admin surface mounted beside it, protected as ever.
    const admin = await http.get('/v2/api/users/', {
      headers: { Authorization: `Bearer ${pair.body.access}` },
    });
    expect(admin.status).toBe(403);
  });

  it('mounts nothing else', async () => {
    for (const [method, path] of [
      ['POST', '/api/token/'],
      ['POST', '/auth/login/'],
      ['POST', '/accounts/auth/jwt/create/'],
      ['POST', '/auth/jwt/login'],
      ['GET', '/health'],
      ['GET', '/.well-known/jwks.json'],
    ]) {
      const res = await http.request(method, path, method === 'GET' ? {} : { json: {} });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });
});

@Injectable()
class EventLog {
  readonly seen: string[] = [];

  @OnEvent(GatehouseEvent.userLoggedIn)
  loggedIn(event: UserLoggedInEvent): void {
    this.seen.push(`logged_in:${event.surface}:${event.email}`);
  }

  @OnEvent(GatehouseEvent.passwordChanged)
  passwordChanged(event: PasswordChangedEvent): void {
    // Payloads name the user, never a password or a token.
    this.seen.push(`password_changed:${event.via}:${Object.keys(event).sort().join(',')}`);
  }
}

@Module({ providers: [EventLog] })
class EventLogModule {}

describe('GatehouseModule.forRootAsync and lifecycle events', () => {
  let consumer: ConsumerApp;
  let app: NestFastifyApplication;
  let http: HttpClient;
  beforeAll(async () => {
    consumer = await startConsumerApp((config) => {
      @Module({
        imports: [
          GatehouseModule.forRootAsync({
            useFactory: async () => Promise.resolve(config),
          }),
          EventLogModule,
        ],
      })
      class ConsumerModule {}
      return ConsumerModule;
    });
    ({ app, http } = consumer);
    await app
      .get(UsersService)
      .create({ email: 'async@example.com', username: 'async', password: PASSWORD });
  });
  afterAll(() => consumer.close());

  it('builds the settings from a factory and mounts every surface at the seeds’ paths', async () => {
    expect(app.get(GatehouseConfig).jwt.accessTokenLifetime).toBe(300);
    expect((await http.get('/health')).status).toBe(200);
    const login = await http.post('/auth/login/', { username: 'async', password: PASSWORD });
    expect(login.status).toBe(200);
    const kyc = await http.post('/auth/jwt/login', undefined, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=async%40example.com&password=${PASSWORD}`,
    });
    expect(kyc.status).toBe(200);
    const changed = await http.post(
      '/auth/password/change/',
      {
        old_password: PASSWORD,
        new_password1: 'Otter-Glacier-38',
        new_password2: 'Otter-Glacier-38',
      },
      { headers: { Authorization: `Token ${login.body.key}` } },
    );
    expect(changed.status).toBe(200);
    expect(app.get(EventLog).seen).toEqual([
      'logged_in:rest-auth:async@example.com',
      'logged_in:fastapi-users:async@example.com',
      'password_changed:change:email,userId,uuid,via',
    ]);
  });
});

/** A consumer's preferred hasher: scrypt, in a `scrypt$salt$hash` encoding. */
class ScryptHasher implements PasswordHasher {
  readonly algorithm = 'scrypt';

  recognizes(encoded: string): boolean {
    return encoded.startsWith('scrypt$');
  }

  verify(password: string, encoded: string): Promise<boolean> {
    const [, salt, hash] = encoded.split('$');
    if (!salt || !hash) return Promise.resolve(false);
    const expected = Buffer.from(hash, 'base64');
    const actual = scryptSync(password, salt, 32);
    return Promise.resolve(expected.length === 32 && timingSafeEqual(actual, expected));
  }

  hash(password: string): Promise<string> {
    const salt = randomBytes(12).toString('base64url');
    return Promise.resolve(`scrypt$${salt}$${scryptSync(password, salt, 32).toString('base64')}`);
  }
}

/** A consumer's mail transport: keeps the mails (an HTTP mail API in real life). */
@Injectable()
class MemoryMailTransport implements MailTransport {
  static readonly sent: MailMessage[] = [];

  send(message: MailMessage): Promise<void> {
    MemoryMailTransport.sent.push(message);
    return Promise.resolve();
  }
}

describe('GatehouseModule.forRoot with a preferred hasher and a mail transport of the consumer', () => {
  let consumer: ConsumerApp;
  let app: NestFastifyApplication;
  let http: HttpClient;
  beforeAll(async () => {
    consumer = await startConsumerApp((config) =>
      GatehouseModule.forRoot({
        config,
        passwordHashers: (defaults) => [new ScryptHasher(), ...defaults],
        mailTransport: MemoryMailTransport,
      }),
    );
    ({ app, http } = consumer);
  });
  afterAll(() => consumer.close());

  it('hashes new passwords with the preferred hasher and upgrades old ones at login', async () => {
    const users = app.get(UsersService);
    const fresh = await users.create({ email: 'fresh@example.com', password: PASSWORD });
    expect(fresh.password).toMatch(/^scrypt\$/);

    const argon2 = await new Argon2idHasher(app.get(GatehouseConfig).argon2).hash(PASSWORD);
    await users.create({ email: 'old@example.com', passwordHash: argon2 });
    const login = await http.post('/api/token/', { email: 'old@example.com', password: PASSWORD });
    expect(login.status).toBe(200);
    expect((await users.findByEmail('old@example.com'))!.password).toMatch(/^scrypt\$/);
    const again = await http.post('/api/token/', { email: 'old@example.com', password: PASSWORD });
    expect(again.status).toBe(200);
    const wrong = await http.post('/api/token/', { email: 'old@example.com', password: 'nope' });
    expect(wrong.status).toBe(401);
  });

  it('sends mail through the consumer’s transport', async () => {
    await http.post('/auth/password/reset/', { email: 'fresh@example.com' });
    await app.get(MailService).idle();
    expect(MemoryMailTransport.sent.map((m) => [m.to, m.subject])).toEqual([
      ['fresh@example.com', '[localhost:3000] Password Reset E-mail'],
    ]);
  });
});

/**
 * What docs/extending.md's code uses, the package exports: every name its code
 * blocks import from `@gatehouse-auth/nestjs` (or /drf, /fastapi) or use (as a
 * decorator, a base class, an interface, a constructor, an error) that the
 * blocks neither declare nor import from another package.
 */
describe('docs/extending.md', () => {
  /** Names the docs' code takes as the consumer's own (defined elsewhere in their app). */
  const CONSUMERS_OWN = new Set([
    'AppModule',
    'MyModule',
    'DepartmentService',
    'MyScryptHasher',
    'SesMailTransport',
    'AcmeTables1800000000000',
    'PinLoginSerializer',
    'ApiKeyStrategy',
  ]);
  /** TypeScript's and JavaScript's own. */
  const LANGUAGE = new Set(['Promise', 'Record', 'Partial', 'Readonly', 'Date', 'Error', 'T']);

  it('names only what the package exports', async () => {
    const markdown = readFileSync('docs/extending.md', 'utf8');
    const code = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((block) => block[1])
      .join('\n');
    const imported = new Map<string, string>();
    for (const [, names, from] of code.matchAll(/import (?:type )?\{([^}]*)\} from '([^']+)'/g)) {
      for (const name of names
        .split(',')
        .map((n) => n.trim().replace(/^type /, ''))
        .filter(Boolean)) {
        imported.set(name, from);
      }
    }
    const declared = new Set(
      [...code.matchAll(/\b(?:class|interface|const) (\w+)/g)].map((m) => m[1]),
    );
    const used = new Set(
      [
        ...code.matchAll(/@([A-Z]\w*)\(/g),
        ...code.matchAll(/\b(?:extends|implements|new|throw)\s+([A-Z]\w*)/g),
        ...code.matchAll(/\b([A-Z]\w*)\.\w+\(/g),
        ...code.matchAll(/:\s*([A-Z]\w*)\b/g),
      ].map((m) => m[1]),
    );
    const ours = [...imported]
      .filter(([, from]) => from.startsWith('@gatehouse-auth/nestjs'))
      .map(([n]) => n);
    const exported = new Set(
      (
        await Promise.all([
          import('@gatehouse-auth/nestjs'),
          import('@gatehouse-auth/nestjs/drf'),
          import('@gatehouse-auth/nestjs/fastapi'),
        ])
      ).flatMap((entry) => Object.keys(entry)),
    );
    // Nest's and TypeORM's decorators, which the docs use without importing them.
    const framework = new Set(
      (
        await Promise.all([
          import('@nestjs/common'),
          import('@nestjs/event-emitter'),
          import('typeorm'),
        ])
      ).flatMap((entry) => Object.keys(entry)),
    );
    // Type-only exports leave no runtime trace: they are looked up in the entry points'
    // source, and in the files they re-export whole (`export * from`).
    const entries = ['src/index.ts', 'src/drf.ts', 'src/fastapi.ts'].map((file) =>
      readFileSync(file, 'utf8'),
    );
    const reexported = entries.flatMap((source) =>
      [...source.matchAll(/export \* from '\.\/([^']+)'/g)].map((m) =>
        readFileSync(`src/${m[1]}.ts`, 'utf8'),
      ),
    );
    const isExported = (name: string) =>
      exported.has(name) ||
      entries.some((source) => new RegExp(`\\btype ${name}\\b`).test(source)) ||
      reexported.some((source) => new RegExp(`export (?:interface|type) ${name}\\b`).test(source));
    const unimported = [...used].filter(
      (name) =>
        !imported.has(name) &&
        !declared.has(name) &&
        !CONSUMERS_OWN.has(name) &&
        !LANGUAGE.has(name) &&
        !framework.has(name),
    );
    expect(ours.length).toBeGreaterThan(10);
    expect([...ours, ...unimported].filter((name) => !isExported(name))).toEqual([]);
  });
});
