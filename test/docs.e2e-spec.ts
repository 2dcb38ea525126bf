import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import { THROTTLE_SCOPE } from '../src/throttling/throttle-scopes';
import { operationsOf } from './support/openapi-lint';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The endpoints each seed document lists, method and path as the document writes
 * them (its spelling of the trailing slash included): the contract the Swagger
 * document must cover, each under its seed's tag.
 */
const SEED_ENDPOINTS: { seed: string; tag: string; endpoints: string[] }[] = [
  {
    seed: '000 DSTOQ',
    tag: 'djoser + SimpleJWT',
    endpoints: [
      'POST /accounts/auth/jwt/create/',
      'GET /accounts/auth/users/me/',
      'GET /accounts/accounts/user/',
      'GET /core/accounts/accounts/me/',
    ],
  },
  {
    seed: '001 KYC',
    tag: 'fastapi-users',
    endpoints: ['POST /auth/jwt/login', 'GET /api/v1/resource'],
  },
  {
    seed: '002 wrapper integration',
    tag: 'dj-rest-auth (Token)',
    endpoints: [
      'POST /auth/registration/',
      'POST /auth/login/',
      'GET /authentication/user/',
      // "Option B": the document's own URL was lost from its text ("redirect them
      // to: Example:"); DESIGN.md names it.
      'GET /auth/hijack/',
    ],
  },
  {
    seed: '003 dcorpo',
    tag: 'dj-rest-auth (JWT)',
    // Its login and registration are seed 002's too: see SHARED_WITH_SEED_002.
    endpoints: [
      'POST /auth/logout/',
      'POST /auth/password/reset/',
      'POST /auth/password/reset/confirm',
      'POST /auth/password/reset/change',
      'GET /auth/user',
      'PUT /auth/user',
      'PATCH /auth/user',
      'POST /auth/token/verify/',
      'POST /auth/token/refresh/',
      'POST /auth/registration/verify-email/',
      'POST /auth/registration/resend-email/',
    ],
  },
  {
    seed: '004 tokens',
    tag: 'SimpleJWT views',
    endpoints: ['POST /api/token/', 'POST /api/token/refresh/', 'POST /api/token/verify/'],
  },
  {
    // Seed 004's legend marks admin-only (`*`) endpoints its URL table no longer
    // lists; DESIGN.md puts them under /api/users/ (list, create, retrieve, change,
    // deactivate), documented under the Admin tag.
    seed: '004 tokens (`*` admin endpoints)',
    tag: 'Admin',
    endpoints: [
      'GET /api/users/',
      'POST /api/users/',
      'GET /api/users/{id}/',
      'PATCH /api/users/{id}/',
      'DELETE /api/users/{id}/',
    ],
  },
];

/** Every protected operation, whatever its surface: one login in Swagger UI authorizes them all. */
const PROTECTED = [{ OAuth2PasswordBearer: [] }, { JWT: [] }, { Bearer: [] }, { Token: [] }];

/**
 * Seed 003's paths that seed 002 lists too: one operation each (listed once in
 * Swagger UI), under seed 002's tag, documenting both flavours.
 */
const SHARED_WITH_SEED_002 = ['/auth/login/', '/auth/registration/'];

/**
 * The seeds spell a path with or without its trailing slash (seed 003 mixes both
 * for dj-rest-auth's slashed URLs) and Gatehouse answers both, so the comparison
 * ignores it; the document itself spells Django paths with the slash.
 */
const normalised = (endpoint: string) => endpoint.replace(/\/$/, '');

const example = (content: any, name: string) => content['application/json'].examples[name].value;
/** The example, or undefined when the answer or the example is missing. */
const exampleIfAny = (answer: any, name: string) =>
  answer?.content?.['application/json']?.examples?.[name]?.value;

describe('the Swagger document', () => {
  let t: TestApp;
  let doc: any;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/docs-json')).body;
  });
  afterAll(() => t.close());

  const operation = (method: string, path: string) => doc.paths[path][method];

  it('serves the UI at /docs and the document at /docs-json and /docs-yaml', async () => {
    const ui = await t.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    expect((await t.http.get('/docs-yaml')).text).toMatch(/^openapi: 3/);
  });

  it('has one tag per library mirrored, named after it, then Admin and Health', () => {
    expect(doc.tags.map((tag: { name: string }) => tag.name)).toEqual([
      'djoser + SimpleJWT',
      'fastapi-users',
      'dj-rest-auth (Token)',
      'dj-rest-auth (JWT)',
      'SimpleJWT views',
      'Admin',
      'Health',
    ]);
    // Users of Gatehouse do not have the source documents: no tag or description names them.
    expect(JSON.stringify(doc)).not.toMatch(/seed (document|00\d)/i);
  });

  it('defines the JWT, Bearer and Token header schemes and fastapi-users’ OAuth2 password flow, each with its hint', () => {
    expect(doc.components.securitySchemes).toEqual({
      JWT: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }),
      Bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      Token: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }),
      OAuth2PasswordBearer: expect.objectContaining({
        type: 'oauth2',
        flows: { password: { tokenUrl: '/auth/jwt/login', scopes: {} } },
      }),
    });
    expect(doc.components.securitySchemes.JWT.description).toContain('JWT <access token>');
    expect(doc.components.securitySchemes.Token.description).toContain('Token <key>');
    // Which to use, and that Swagger UI adds the word to a bare token.
    expect(doc.components.securitySchemes.OAuth2PasswordBearer.description).toMatch(
      /^The quickest/,
    );
    for (const name of ['JWT', 'Token']) {
      expect(doc.components.securitySchemes[name].description).toContain(
        `Swagger UI adds the \`${name}\` word`,
      );
    }
    expect(doc.info.description).toContain('authorize once');
  });

  describe.each(SEED_ENDPOINTS)('seed $seed', ({ tag, endpoints }) => {
    it.each(endpoints)(`documents %s under "${tag}"`, (endpoint) => {
      const documented = operationsOf(doc).filter(
        ({ method, path }) =>
          normalised(`${method.toUpperCase()} ${path}`) === normalised(endpoint),
      );
      expect(documented).toHaveLength(1);
      expect(documented[0].operation.tags).toContain(tag);
      expect(documented[0].operation.summary).toBeTruthy();
    });
  });

  it.each(SHARED_WITH_SEED_002)(
    'documents POST %s once, under dj-rest-auth (Token), with both flavours; the JWT tag points there',
    (path) => {
      const shared = operation('post', path);
      expect(shared.tags).toEqual(['dj-rest-auth (Token)']);
      expect(
        Object.keys(example(shared.requestBody.content, 'JWT flavour (parameters)')),
      ).toContain('username');
      expect(shared.description).toContain('JWT flavour');
      const jwtTag = doc.tags.find((tag: { name: string }) => tag.name === 'dj-rest-auth (JWT)');
      expect(jwtTag.description).toContain(`\`POST ${path}\``);
    },
  );

  it("spells the Django surfaces' paths with their trailing slash, the FastAPI surface's without", () => {
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/token/', '/auth/user/', '/api/users/{id}/', '/auth/jwt/login']),
    );
    expect(paths).toEqual(
      expect.arrayContaining(['/users/me', '/health', '/.well-known/jwks.json']),
    );
    expect(paths).not.toContain('/api/token');
  });

  it('states each operation’s security requirement: none for logins, every header scheme elsewhere', () => {
    expect(operation('post', '/api/token/').security).toBeUndefined();
    expect(operation('post', '/auth/jwt/login').security).toBeUndefined();
    expect(operation('get', '/api/users/').security).toEqual(PROTECTED);
    expect(operation('get', '/core/accounts/accounts/me/').security).toEqual(PROTECTED);
    expect(operation('get', '/authentication/user/').security).toEqual(PROTECTED);
    expect(operation('get', '/users/me').security).toEqual(PROTECTED);
    // Anyone may log out; the Token key sent along is revoked.
    expect(operation('post', '/auth/logout/').security).toEqual([{ Token: [] }, {}]);
  });

  it("shows seed 004's request and response examples and its 401", () => {
    const obtain = operation('post', '/api/token/');
    expect(obtain.summary).toBe('Get Access and refresh tokens (log in)');
    expect(example(obtain.requestBody.content, 'Request example')).toEqual({
      email: 'johndoe@example.com',
      password: 'example1234',
    });
    expect(example(obtain.responses['200'].content, 'Response example')).toEqual({
      refresh: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N',
      access: 'eyJ0eXAiOi.JKV1QiLCJhbGc.iOiJIUzI1N',
    });
    const verify = operation('post', '/api/token/verify/');
    expect(verify.summary).toBe('Validate tokens expiration.');
    expect(example(verify.responses['200'].content, 'Response example')).toEqual([]);
    expect(example(verify.responses['401'].content, 'Response example')).toEqual({
      detail: 'Token is invalid or expired',
      code: 'token_not_valid',
    });
    expect(operation('post', '/api/token/refresh/').summary).toBe(
      'Get Access tokens from refresh token.',
    );
  });

  it("shows seed 000's bodies and its three language samples", () => {
    const create = operation('post', '/accounts/auth/jwt/create/');
    expect(example(create.requestBody.content, 'The samples (username)')).toEqual({
      username: 'emailaddressofuser@dstoq.com',
      password: 'AVerySecretPassword',
    });
    expect(create['x-codeSamples'].map((sample: { lang: string }) => sample.lang)).toEqual([
      'Shell',
      'JavaScript',
      'Python',
    ]);
    expect(create.description).toContain('Authorization: JWT TOKEN_GOES_HERE');
    const trading = operation('get', '/core/accounts/accounts/me/');
    expect(trading.summary).toBe('Trading Information');
    expect(example(trading.responses['200'].content, 'output')).toMatchObject({
      account_provider: 1,
      referral_short_link: 'https://app.dstoq.com/9vUm',
      status: 'kyc_passed',
    });
    expect(trading['x-codeSamples'][0].source).toContain('Authorization: JWT');
    expect(operation('get', '/accounts/accounts/user/').summary).toBe('Auth Information');
  });

  it("shows seed 001's form login, its answer and every documented error", () => {
    const login = operation('post', '/auth/jwt/login');
    expect(login.summary).toBe('Obtain Access Token');
    expect(Object.keys(login.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(example(login.responses['200'].content, 'Successful Response')).toEqual({
      access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI...',
      token_type: 'bearer',
    });
    expect(login.responses['400'].content['application/json'].examples).toEqual(
      expect.objectContaining({
        LOGIN_BAD_CREDENTIALS: expect.objectContaining({
          value: { detail: 'LOGIN_BAD_CREDENTIALS' },
        }),
        LOGIN_USER_NOT_VERIFIED: expect.objectContaining({
          value: { detail: 'LOGIN_USER_NOT_VERIFIED' },
        }),
      }),
    );
    expect(login.responses['422'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/HTTPValidationError',
    });
    expect(operation('get', '/api/v1/resource').summary).toBe('Fetch a protected resource');
  });

  it("shows seed 002's steps, sample bodies and error bodies", () => {
    const registration = operation('post', '/auth/registration/');
    expect(registration.summary).toBe('Step 1: Register a New User');
    expect(registration.tags).toEqual(['dj-rest-auth (Token)']);
    expect(
      example(registration.requestBody.content, 'Token flavour (example request)'),
    ).toMatchObject({
      full_name: 'testU1',
      password1: 'test@1291',
      subscribe: true,
    });
    expect(
      example(registration.responses['201'].content, 'Token key (REST_AUTH_TOKEN=key)'),
    ).toEqual({ key: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0' });
    expect(example(registration.responses['400'].content, 'Email already exists')).toEqual({
      email: ['Email address already in use'],
    });
    const login = operation('post', '/auth/login/');
    expect(login.summary).toBe('Step 2: Login an Existing User');
    expect(example(login.responses['400'].content, 'Invalid credentials')).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.'],
    });
    expect(example(login.responses['400'].content, 'Blocked account')).toEqual({
      non_field_errors: ['Your account has been blocked. Please contact support.'],
    });
    const user = operation('get', '/authentication/user/');
    expect(user.summary).toMatch(/^Step 3: Using the Authentication Token/);
    expect(example(user.responses['401'].content, 'A revoked or unknown Token key')).toEqual({
      detail: 'Invalid token.',
    });
    const hijack = operation('get', '/auth/hijack/');
    expect(hijack.summary).toBe('Option B: Session Hijacking for Wrapper Applications');
    expect(hijack.parameters).toEqual([
      expect.objectContaining({ name: 'token', in: 'query', required: true }),
    ]);
    // 401: DRF authenticates before every view, a bad credential sent along included.
    expect(Object.keys(hijack.responses)).toEqual(['302', '401', '429', '503']);
    expect(doc.paths['/dashboard/']).toBeUndefined();
  });

  it("lists seed 003's parameters and returns, with its invalid-token bodies", () => {
    const login = operation('post', '/auth/login/');
    expect(login.description).toContain('### Returns:\n- access_token\n- refresh_token');
    const confirm = operation('post', '/auth/password/reset/confirm/');
    expect(confirm.description).toContain(
      'uid and token are sent in email after calling /auth/password/reset/',
    );
    for (const path of ['/auth/token/verify/', '/auth/token/refresh/']) {
      expect(example(operation('post', path).responses['401'].content, 'Invalid token')).toEqual({
        detail: 'Token is invalid or expired',
        code: 'token_not_valid',
      });
    }
    expect(
      example(operation('post', '/auth/token/verify/').responses['200'].content, 'Valid token'),
    ).toEqual({});
    for (const method of ['get', 'put', 'patch']) {
      expect(
        operation(method, '/auth/user/').responses['200'].content['application/json'].schema,
      ).toEqual({
        $ref: '#/components/schemas/UserDetailsDto',
      });
    }
  });

  /**
   * Every documented handler marked `@Throttled` (on itself or its controller),
   * found through Nest's discovery as the guard finds the metadata: method and
   * path as the document spells them (the surfaces are mounted at the root).
   */
  function throttledOperations(): { method: string; path: string }[] {
    const found: { method: string; path: string }[] = [];
    for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type || Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, type)?.[0]) continue;
      const prototype = type.prototype as Record<string, object>;
      for (const name of t.app.get(MetadataScanner).getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const scope =
          Reflect.getMetadata(THROTTLE_SCOPE, handler) ?? Reflect.getMetadata(THROTTLE_SCOPE, type);
        if (scope === undefined || Reflect.getMetadata(DECORATORS.API_EXCLUDE_ENDPOINT, handler))
          continue;
        const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
        const own = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        found.push({
          method: method.toLowerCase(),
          // Route parameters (`:id`) as the document spells them (`{id}`).
          path: `/${[base, own].join('/')}`.replace(/\/{2,}/g, '/').replace(/:(\w+)/g, '{$1}'),
        });
      }
    }
    return found;
  }

  it('documents a 429 with Retry-After on every throttled operation, in its surface’s dialect', () => {
    const throttled = throttledOperations();
    // The logins, refreshes, hijack, mail senders and confirmations of every surface.
    expect(throttled.length).toBeGreaterThanOrEqual(20);
    for (const { method, path } of throttled) {
      const documented = operation(method, path) ?? operation(method, path.replace(/\/$/, ''));
      const answer = documented?.responses?.['429'];
      expect({ method, path, answer: answer !== undefined }).toEqual({
        method,
        path,
        answer: true,
      });
      expect(answer.headers['Retry-After'].schema).toEqual({ type: 'integer', example: 60 });
      const fastapi = documented.tags.includes('fastapi-users');
      expect(example(answer.content, 'Throttled')).toEqual({
        detail: fastapi
          ? 'Too Many Requests'
          : 'Request was throttled. Expected available in 60 seconds.',
      });
    }
    // And no operation the guard leaves alone claims a 429.
    const claimed = operationsOf(doc).filter(({ operation: op }) => op.responses['429']);
    expect(claimed).toHaveLength(throttled.length);
  });

  it("documents cookie mode's CSRF 403 on every unsafe operation a JWT cookie reaches, in its dialect", () => {
    const csrf = (method: string, path: string) =>
      exampleIfAny(operation(method, path).responses['403'], 'CSRF token missing (cookie mode)');
    // Protected DRF operations, and the open ones DRF authenticates (the cookie included).
    for (const [method, path] of [
      ['patch', '/auth/user/'],
      ['post', '/auth/password/change/'],
      ['post', '/api/users/'],
      ['post', '/auth/login/'],
      ['post', '/auth/logout/'],
      ['post', '/auth/registration/'],
      ['post', '/auth/password/reset/'],
      ['post', '/auth/registration/verify-email/'],
      ['post', '/auth/registration/resend-email/'],
    ]) {
      expect({ method, path, body: csrf(method, path) }).toEqual({
        method,
        path,
        body: { detail: 'CSRF Failed: CSRF token missing.' },
      });
      expect(operation(method, path).responses['403'].description).toMatch(/JWT_AUTH_COOKIE/);
    }
    // Staff's own 403 stays beside it.
    const staff = operation('post', '/api/users/').responses['403'].content;
    expect(example(staff, 'Not allowed')).toEqual({
      detail: 'You do not have permission to perform this action.',
    });
    // fastapi-users: Starlette's bare 403 on authenticated unsafe operations only.
    const me = operation('patch', '/users/me').responses['403'];
    expect(example(me.content, 'CSRF check failed (cookie mode)')).toEqual({ detail: 'Forbidden' });
    expect(me.description).toMatch(/JWT_AUTH_COOKIE/);
    expect(operation('post', '/auth/jwt/login').responses['403']).toBeUndefined();
    // No cookie check where nothing authenticates, nor on a safe method.
    expect(operation('post', '/api/token/').responses['403']).toBeUndefined();
    expect(operation('post', '/accounts/auth/jwt/create/').responses['403']).toBeUndefined();
    expect(operation('get', '/auth/user/').responses['403']).toBeUndefined();
  });

  it('documents the 503 of a database that is away on every operation, in its dialect, with Retry-After', () => {
    for (const { path, operation: op } of operationsOf(doc)) {
      if (op.tags.includes('Health')) continue;
      const answer = op.responses['503'];
      const fastapi = op.tags.includes('fastapi-users');
      expect({ path, body: exampleIfAny(answer, 'Database unavailable') }).toEqual({
        path,
        body: {
          detail: fastapi
            ? 'Service Unavailable'
            : 'Service temporarily unavailable, try again later.',
        },
      });
      expect(answer.headers['Retry-After'].schema).toEqual({ type: 'string', example: '5' });
    }
    // Readiness keeps its own 503 body.
    expect(operation('get', '/health').responses['503'].description).toBe(
      'The database does not answer',
    );
  });
});
