import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { PathItemObject } from '@nestjs/swagger';
import { AuthSchemeRegistry } from '../access/auth-scheme.registry';
import { SHARED_SCHEMAS } from './responses';
import {
  withCookieCsrfAnswers,
  withTransportAnswers,
  withUnavailableAnswers,
} from './transport-responses';

/**
 * One tag per library whose API Gatehouse mirrors, named after it, in the order
 * of the source documents, then Gatehouse's own. `djangoPaths`: the document
 * spells the tag's paths as Django does, with a trailing slash (Gatehouse
 * answers both spellings).
 */
export const DOC_TAGS = {
  dstoq: {
    name: 'djoser + SimpleJWT',
    description:
      "djoser's JWT views (`/accounts/auth/jwt/create/`, refresh, verify) with SimpleJWT tokens, and the DSTOQ " +
      'account endpoints: interact with the API as an existing customer, or bring your own customer base with a ' +
      'white-labeled version. Obtain a JWT token to use the services that require authentication; subsequent ' +
      'calls must then send an `Authorization` header using the given token: `Authorization: JWT TOKEN_GOES_HERE`.',
    djangoPaths: true,
  },
  kyc: {
    name: 'fastapi-users',
    description:
      "fastapi-users' routers (JWT strategy, Bearer transport), as the KYC API serves them: clients exchange " +
      'their credentials for an access token and include it in the Authorization header of all subsequent ' +
      'requests (`Authorization: Bearer <your_access_token>`). There is no refresh token endpoint: when a ' +
      'token expires or becomes invalid, log in again. Also registration, e-mail verification, password reset ' +
      "and user management, in FastAPI's error format.",
    djangoPaths: false,
  },
  wrapper: {
    name: 'dj-rest-auth (Token)',
    description:
      "dj-rest-auth with DRF's Token keys, as a wrapper backend integrates it: programmatically create users " +
      'and obtain authentication tokens — register a user, log them in, and use the returned token to make ' +
      'authenticated API calls (`Authorization: Token <key>`) or auto-login users into the dashboard on ' +
      'redirect. The token is a persistent key that remains valid until explicitly revoked.',
    djangoPaths: true,
  },
  dcorpo: {
    name: 'dj-rest-auth (JWT)',
    description:
      'dj-rest-auth in JWT flavour, with allauth: account authentication (login with JWT and user, logout, ' +
      'password reset and change, user details, token verify and refresh) and account registration with ' +
      'e-mail verification. Login (`POST /auth/login/`) and registration (`POST /auth/registration/`) are ' +
      'shared with dj-rest-auth (Token): one operation each, listed under that tag, answering both flavours.',
    djangoPaths: true,
  },
  tokens: {
    name: 'SimpleJWT views',
    description:
      "SimpleJWT's own views: get access and refresh tokens (log in), get access tokens from the refresh " +
      'token, validate tokens expiration. `#` No authentication required; the `*` endpoints, for admin users ' +
      'only, are under Admin.',
    djangoPaths: true,
  },
  admin: {
    name: 'Admin',
    description:
      'Staff-only (`is_staff`) user management — the `*` "Only Admin users have access" endpoints beside ' +
      "SimpleJWT's views — and the white-label account providers of the djoser + SimpleJWT deployment.",
    djangoPaths: true,
  },
  health: { name: 'Health', description: 'Liveness and database state.', djangoPaths: false },
} as const;

/** The OAuth2 password-flow scheme of the KYC surface, named as FastAPI names it. */
export const OAUTH2_SCHEME = 'OAuth2PasswordBearer';
const FASTAPI_USERS_TOKEN_URL = '/auth/jwt/login';

/** The order OpenAPI lists an operation's methods in. */
const METHOD_ORDER = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Builds the OpenAPI document of the app: the same whatever the settings. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Gatehouse')
    .setDescription(
      'One service that speaks the auth APIs of djoser + SimpleJWT, dj-rest-auth (Token and JWT), ' +
        "SimpleJWT's own views and fastapi-users over one user store. One tag per library; " +
        'every protected operation accepts `Authorization: JWT <access>`, `Bearer <access>` and `Token <key>`.\n\n' +
        'In Swagger UI, authorize once, with any one scheme: every protected operation then sends it. ' +
        'The quickest is OAuth2PasswordBearer (your e-mail and password).',
    )
    .setVersion('0.1.0')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description:
          'Paste an access token from any login: sent as `JWT <access token>` (djoser + SimpleJWT); ' +
          'Swagger UI adds the `JWT` word when you leave it out.',
      },
      'JWT',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Paste an access token from any login: sent as `Authorization: Bearer <access token>` ' +
          '(fastapi-users, dj-rest-auth JWT).',
      },
      'Bearer',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description:
          'Paste the `key` of `/auth/login/` or `/auth/registration/`: sent as `Token <key>` ' +
          '(dj-rest-auth with DRF Token keys); Swagger UI adds the `Token` word when you leave it out.',
      },
      'Token',
    )
    // fastapi-users' scheme, so Swagger UI's Authorize button logs in with the password flow.
    .addOAuth2(
      {
        type: 'oauth2',
        description:
          'The quickest: your e-mail as `username` and your password; the access token it gets is sent ' +
          'as `Bearer` to every protected operation.',
        flows: { password: { tokenUrl: FASTAPI_USERS_TOKEN_URL, scopes: {} } },
      },
      OAUTH2_SCHEME,
    );
  // A consumer's own passport schemes (GatehouseModule's `authSchemes`).
  const extra = app.get(AuthSchemeRegistry, { strict: false }).documented;
  for (const { name, securityScheme } of extra) builder.addSecurity(name, securityScheme);
  for (const tag of Object.values(DOC_TAGS)) builder.addTag(tag.name, tag.description);
  // Every operation names its seed's tag; none is tagged after its controller's class.
  const document = SwaggerModule.createDocument(app, builder.build(), {
    autoTagControllers: false,
  });
  // Schemas by name too: their order would otherwise follow module registration.
  const schemas: Record<string, unknown> = { ...document.components?.schemas, ...SHARED_SCHEMAS };
  document.components = {
    ...document.components,
    schemas: Object.fromEntries(
      Object.keys(schemas)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((name) => [name, schemas[name]]),
    ) as NonNullable<OpenAPIObject['components']>['schemas'],
  };
  document.paths = inStableOrder(withDjangoSlashes(document.paths));
  withTransportAnswers(document, DOC_TAGS.kyc.name);
  withCookieCsrfAnswers(document, DOC_TAGS.kyc.name);
  withUnavailableAnswers(document, DOC_TAGS.kyc.name, DOC_TAGS.health.name);
  if (extra.length > 0)
    offerOnProtectedOperations(
      document,
      extra.map((scheme) => scheme.name),
    );
  return document;
}

/** Every operation that accepts the JWT scheme (every protected one) accepts these too. */
function offerOnProtectedOperations(document: OpenAPIObject, names: string[]): void {
  for (const item of Object.values(document.paths)) {
    for (const method of METHOD_ORDER) {
      const operation = item[method as keyof PathItemObject] as
        { security?: Record<string, string[]>[] } | undefined;
      if (operation?.security?.some((entry) => 'JWT' in entry)) {
        operation.security.push(...names.map((name) => ({ [name]: [] })));
      }
    }
  }
}

/**
 * Nest registers routes without their trailing slash; the Django documents write
 * one, and so does their document here, so that a path copied from Swagger UI is
 * the one the seed shows. A file name (`/.well-known/jwks.json`) keeps its spelling.
 */
function withDjangoSlashes(paths: OpenAPIObject['paths']): OpenAPIObject['paths'] {
  const django = new Set<string>(
    Object.values(DOC_TAGS)
      .filter((tag) => tag.djangoPaths)
      .map((tag) => tag.name),
  );
  const spelled = (path: string, item: PathItemObject) => {
    const tags = METHOD_ORDER.flatMap(
      (method) => (item[method as keyof PathItemObject] as { tags?: string[] })?.tags ?? [],
    );
    const isDjango = tags.length > 0 && tags.every((tag) => django.has(tag));
    return isDjango && !/\.\w+$/.test(path) && !path.endsWith('/') ? `${path}/` : path;
  };
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [spelled(path, item), item]),
  );
}

/**
 * Paths in alphabetical order and methods in OpenAPI's, not in the order modules
 * happen to register controllers: moving a controller does not change the document.
 */
function inStableOrder(paths: OpenAPIObject['paths']): OpenAPIObject['paths'] {
  const sorted = Object.keys(paths).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(
    sorted.map((path) => {
      const item = paths[path] as Record<string, unknown>;
      const keys = Object.keys(item).sort(
        (a, b) => rank(METHOD_ORDER.indexOf(a)) - rank(METHOD_ORDER.indexOf(b)),
      );
      return [path, Object.fromEntries(keys.map((key) => [key, item[key]]))];
    }),
  );
}

/** Path-item fields that are not methods (`parameters`, `summary`…) go last. */
const rank = (index: number) => (index === -1 ? METHOD_ORDER.length : index);

/** What Swagger UI hands its request interceptor, and the part of Swagger UI it reads. */
interface SwaggerUiRequest {
  headers: Record<string, string>;
}
interface SwaggerUiAuthorized {
  toJS(): Record<string, { value?: unknown } | undefined>;
}

/**
 * Swagger UI's request interceptor, run in the browser from its source text
 * (@nestjs/swagger writes functions of `swaggerOptions` into swagger-ui-init.js):
 * an `apiKey` scheme sends its value as typed, so a bare token authorized under
 * `JWT` or `Token` gets that word in front, as the server needs. A value that
 * already carries a word is sent as it is. Self-contained: no outer names.
 */
/* istanbul ignore next -- runs in the browser only */
export function prefixBareTokens(request: SwaggerUiRequest): SwaggerUiRequest {
  const ui = (globalThis as { ui?: { authSelectors: { authorized(): SwaggerUiAuthorized } } }).ui;
  const authorized = ui ? ui.authSelectors.authorized().toJS() : {};
  const sent = request.headers.Authorization;
  for (const word of ['JWT', 'Token']) {
    const value = authorized[word]?.value;
    if (typeof value === 'string' && sent === value && !/\s/.test(value.trim())) {
      request.headers.Authorization = `${word} ${value.trim()}`;
    }
  }
  return request;
}

/**
 * Swagger UI at /docs, the document at /docs-json and /docs-yaml, and at
 * /openapi.json, where FastAPI serves its own (so fastapi-users' clients and
 * tools find it); no surface has a path there.
 */
export function setupDocs(app: INestApplication): void {
  let document: OpenAPIObject | undefined;
  const built = () => (document ??= createOpenApiDocument(app));
  SwaggerModule.setup('docs', app, built, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Gatehouse — API documentation',
    swaggerOptions: {
      // Swagger UI would send the document to validator.swagger.io for its badge:
      // the document stays on the machine (and is validated by the test suite).
      validatorUrl: null,
      displayRequestDuration: true,
      requestInterceptor: prefixBareTokens,
    },
  });
  const adapter = app.getHttpAdapter();
  adapter.get('/openapi.json', (_request: unknown, reply: unknown) => {
    adapter.setHeader(reply, 'content-type', 'application/json; charset=utf-8');
    adapter.reply(reply, built(), 200);
  });
}
