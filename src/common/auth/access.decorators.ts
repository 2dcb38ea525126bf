import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { OAUTH2_SCHEME } from '../../docs/docs.setup';
import { DrfResponse, FastApiResponse } from '../../docs/responses';
import { DRF_MESSAGES } from '../errors/drf.exception';

export type AccessLevel = 'public' | 'authenticated' | 'staff' | 'superuser';
export const ACCESS_LEVEL = 'gatehouse:access-level';

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
export const Public = () => SetMetadata(ACCESS_LEVEL, 'public' satisfies AccessLevel);
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
