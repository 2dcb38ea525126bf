import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { OAUTH2_SCHEME } from '../../docs/docs.setup';
import { DrfResponse, FastApiResponse } from '../../docs/responses';
import { DRF_MESSAGES } from '../errors/drf.exception';
import { RouteConfigEntry } from '../http/route-config';

export type AccessLevel = 'public' | 'authenticated' | 'staff' | 'superuser';
export const ACCESS_LEVEL = 'gatehouse:access-level';

/**
 * The key of the Fastify route config that marks a route authenticating nobody:
 * the guard and a 405 on its path then ignore the `Authorization` header.
 */
export const NO_AUTHENTICATION_ROUTE_CONFIG = 'gatehouseNoAuthentication';

/** Whether a Fastify route config marks its route as authenticating nobody. */
export function authenticatesNobody(routeConfig: unknown): boolean {
  return (
    (routeConfig as Record<string, unknown> | undefined)?.[NO_AUTHENTICATION_ROUTE_CONFIG] === true
  );
}

export interface PublicOptions {
  /**
   * DRF authenticates before every view, open ones too: a credential sent to a
   * route open to anyone is still checked (an invalid one is the scheme's 401).
   * `false` for views with `authentication_classes = ()` — SimpleJWT's token
   * views — and for what is no DRF view at all (health, JWKS).
   */
  authenticates?: boolean;
}

/** Options of the access decorators. */
export interface AccessOptions {
  /**
   * The error dialect of the route, for the document: FastAPI routes answer
   * `{"detail": "Unauthorized"}`/`"Forbidden"` and offer the OAuth2 password flow first.
   */
  dialect?: 'drf' | 'fastapi';
}

/** DRF's 401 bodies: no credentials, a revoked or unknown Token key (seed 002), a refused JWT. */
const DRF_UNAUTHORIZED = {
  'No credentials': { detail: DRF_MESSAGES.notAuthenticated },
  'A revoked or unknown Token key': { detail: 'Invalid token.' },
  'An expired or invalid JWT': {
    detail: 'Given token not valid for any token type',
    code: 'token_not_valid',
    messages: [
      { token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' },
    ],
  },
};

/**
 * The header schemes every protected route accepts, as the document names them,
 * and its 401/403 bodies. Made afresh per use: @nestjs/swagger's decorators keep
 * state per instance.
 */
function documented({ dialect = 'drf' }: AccessOptions, forbids: boolean) {
  const fastapi = dialect === 'fastapi';
  const unauthorized = 'No credentials, or credentials that are invalid, expired or revoked';
  const forbidden = 'Authenticated, but not allowed';
  return [
    ...(fastapi ? [ApiSecurity(OAUTH2_SCHEME)] : []),
    ApiSecurity('JWT'),
    ApiSecurity('Bearer'),
    ApiSecurity('Token'),
    fastapi
      ? FastApiResponse(401, unauthorized, { Unauthorized: { detail: 'Unauthorized' } })
      : DrfResponse(401, unauthorized, DRF_UNAUTHORIZED),
    ...(forbids
      ? [
          fastapi
            ? FastApiResponse(403, forbidden, { Forbidden: { detail: 'Forbidden' } })
            : DrfResponse(403, forbidden, {
                'Not allowed': { detail: DRF_MESSAGES.permissionDenied },
              }),
        ]
      : []),
  ];
}

/**
 * Who may call a route: the guard's metadata and the document's security entry
 * set together, so the two never disagree. Every route is `authenticated` unless
 * it says otherwise: the guard is global, so forgetting a decorator fails closed.
 */
export const Public = ({ authenticates = true }: PublicOptions = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_LEVEL, 'public' satisfies AccessLevel),
    ...(authenticates ? [] : [RouteConfigEntry(NO_AUTHENTICATION_ROUTE_CONFIG, true)]),
  );
export const Authenticated = (options: AccessOptions = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_LEVEL, 'authenticated' satisfies AccessLevel),
    ...documented(options, false),
  );
/** Django's `is_staff` (DRF's IsAdminUser), e.g. seed 004's `*` admin endpoints. */
export const Staff = (options: AccessOptions = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_LEVEL, 'staff' satisfies AccessLevel),
    ...documented(options, true),
  );
/** fastapi-users' superuser routes. */
export const Superuser = (options: AccessOptions = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_LEVEL, 'superuser' satisfies AccessLevel),
    ...documented(options, true),
  );
