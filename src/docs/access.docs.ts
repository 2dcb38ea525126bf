import { ApiExtension, ApiSecurity, DECORATORS } from '@nestjs/swagger';
import { ACCESS_LEVEL, type AccessLevel } from '../access/access.decorators';
import { ROUTE_CONFIG_METADATA } from '../http/http-seam';
import { authenticatesNobody, type Dialect } from '../http/route-config';
import { DRF_MESSAGES } from '../problems/drf.exception';
import { OAUTH2_SCHEME } from './docs.setup';
import { documentHandlerOrClass, DrfResponse, FastApiResponse } from './responses';
import { COOKIE_REACHES } from './transport-responses';

/*
 * The access levels of access/, as the document shows them: the security schemes a
 * protected route accepts and its 401/403 bodies, in the dialect of its surface.
 */

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
 * The schemes every protected route accepts, as the document names them,
 * and its 401/403 bodies. Made afresh per use: @nestjs/swagger's decorators keep
 * state per instance.
 */
function documented(dialect: Dialect, level: AccessLevel) {
  const fastapi = dialect === 'fastapi';
  const unauthorized = 'No credentials, or credentials that are invalid, expired or revoked';
  const forbidden = 'Authenticated, but not allowed';
  // fastapi-users' `current_user(verified=…)`: with REQUIRE_VERIFIED_LOGIN an
  // unverified user is refused on every route that needs one.
  const forbids = level !== 'authenticated' || fastapi;
  return [
    // Every surface accepts every scheme: one login in Swagger UI authorizes them all.
    ApiSecurity(OAUTH2_SCHEME),
    ApiSecurity('JWT'),
    ApiSecurity('Bearer'),
    ApiSecurity('Token'),
    ApiExtension(COOKIE_REACHES, true),
    fastapi
      ? FastApiResponse(401, unauthorized, { Unauthorized: { detail: 'Unauthorized' } })
      : DrfResponse(401, unauthorized, DRF_UNAUTHORIZED),
    ...(forbids
      ? [
          fastapi
            ? FastApiResponse(
                403,
                level === 'authenticated'
                  ? 'Not verified, while REQUIRE_VERIFIED_LOGIN is on'
                  : 'Not a superuser, or not verified while REQUIRE_VERIFIED_LOGIN is on',
                { Forbidden: { detail: 'Forbidden' } },
              )
            : DrfResponse(403, forbidden, {
                'Not allowed': { detail: DRF_MESSAGES.permissionDenied },
              }),
        ]
      : []),
  ];
}

/**
 * DRF authenticates before every view, open ones too: a credential sent to one
 * that is invalid, expired or revoked is the scheme's 401, documented unless the
 * handler documents its own 401; and a JWT cookie reaches it.
 */
function documentedWhenOpen(handler: object) {
  if (authenticatesNobody(Reflect.getMetadata(ROUTE_CONFIG_METADATA, handler))) return [];
  // The access cookie authenticates there too, so cookie mode's CSRF check runs.
  const reached = ApiExtension(COOKIE_REACHES, true);
  const responses = Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) as
    Record<string, unknown> | undefined;
  if (responses?.['401']) return [reached];
  const { 'No credentials': _none, ...refused } = DRF_UNAUTHORIZED;
  return [
    reached,
    DrfResponse(
      401,
      'An `Authorization` credential that is invalid, expired or revoked (DRF authenticates before every view)',
      refused,
    ),
  ];
}

/**
 * Documents a handler (or a whole controller) by its access level, in the
 * dialect of its surface: the security schemes it accepts and its 401/403
 * bodies. Called by `@SurfaceDialect()`, which knows the dialect.
 */
export function documentAccess(
  target: object,
  descriptor: PropertyDescriptor | undefined,
  dialect: Dialect,
): void {
  const holder = (descriptor?.value ?? target) as object;
  const level = Reflect.getOwnMetadata(ACCESS_LEVEL, holder) as AccessLevel | undefined;
  if (level === undefined) return;
  if (level === 'public') {
    if (descriptor && dialect === 'drf') {
      documentHandlerOrClass(documentedWhenOpen(holder), target, descriptor);
    }
    return;
  }
  documentHandlerOrClass(documented(dialect, level), target, descriptor);
}
