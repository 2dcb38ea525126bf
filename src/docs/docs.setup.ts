import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** One tag per seed document, named and described from it. */
export const DOC_TAGS = {
  dstoq: {
    name: 'Authentication (DSTOQ)',
    description:
      'Seed 000 — how you can interact with the DSTOQ API as an existing customer, and bring your own customer ' +
      'base to the platform with a white-labeled DSTOQ. Obtain a JWT, then send `Authorization: JWT <token>`.',
  },
  wrapper: {
    name: 'Wrapper integration (Token)',
    description:
      'Seed 002 — programmatically create users and obtain authentication tokens: register a user, log them in, ' +
      'and use the returned token (`Authorization: Token <key>`) to make authenticated API calls.',
  },
  dcorpo: {
    name: 'dcorpo API endpoints',
    description:
      'Seed 003 — account authentication (login with JWT and user, logout, password reset and change, user details, ' +
      'token verify and refresh) and account registration (dj-rest-auth, JWT flavour, with allauth).',
  },
  kyc: {
    name: 'KYC API (fastapi-users)',
    description:
      'Seed 001 — the API uses JWT (JSON Web Token) for authentication. Clients must exchange their credentials ' +
      'for an access token and include it in the Authorization header of all subsequent requests ' +
      '(`Authorization: Bearer <your_access_token>`). There is no refresh token endpoint: when a token expires ' +
      "or becomes invalid, log in again. Beyond the document, the rest of fastapi-users' routers: registration, " +
      "e-mail verification, password reset and user management, in FastAPI's error format.",
  },
  tokens: {
    name: 'Tokens and login endpoints',
    description:
      'Seed 004 — SimpleJWT views: log in for an access and a refresh token, refresh the access token, ' +
      'verify a token. `*` admin-only endpoints manage users; `#` endpoints need no authentication.',
  },
  admin: {
    name: 'Admin',
    description: 'Staff-only user management (the `*` endpoints of seed 004).',
  },
  health: { name: 'Health', description: 'Liveness and database state.' },
} as const;

/** The OAuth2 password-flow scheme of the KYC surface, named as FastAPI names it. */
export const OAUTH2_SCHEME = 'OAuth2PasswordBearer';
const FASTAPI_USERS_TOKEN_URL = '/auth/jwt/login';

/** Builds the OpenAPI document of the running app. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Gatehouse')
    .setDescription(
      'One service that speaks the auth APIs of djoser + SimpleJWT, dj-rest-auth (Token and JWT), ' +
        "SimpleJWT's own views and fastapi-users over one user store.",
    )
    .setVersion('0.1.0')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'Value: `JWT <access token>`',
      },
      'JWT',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'Bearer')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Value: `Token <key>`' },
      'Token',
    )
    // fastapi-users' scheme, so Swagger UI's Authorize button logs in with the password flow.
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'Log in with your e-mail as `username` and your password (seed 001).',
        flows: { password: { tokenUrl: FASTAPI_USERS_TOKEN_URL, scopes: {} } },
      },
      OAUTH2_SCHEME,
    );
  for (const tag of Object.values(DOC_TAGS)) builder.addTag(tag.name, tag.description);
  return SwaggerModule.createDocument(app, builder.build());
}

/** Swagger UI at /docs, the document at /docs-json and /docs-yaml. */
export function setupDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
