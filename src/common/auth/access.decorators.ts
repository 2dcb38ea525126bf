import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { OAUTH2_SCHEME } from '../../docs/docs.setup';

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

/**
 * The header schemes every protected route accepts, as the document names them,
 * and its 401/403 bodies. Made afresh per use: @nestjs/swagger's decorators keep
 * state per instance.
 */
function documented({ dialect = 'drf' }: AccessOptions, forbids: boolean) {
  const fastapi = dialect === 'fastapi';
  return [
    ...(fastapi ? [ApiSecurity(OAUTH2_SCHEME)] : []),
    ApiSecurity('JWT'),
    ApiSecurity('Bearer'),
    ApiSecurity('Token'),
    ApiUnauthorizedResponse({
      description: 'No, or invalid, credentials',
      schema: {
        example: {
          detail: fastapi ? 'Unauthorized' : 'Authentication credentials were not provided.',
        },
      },
    }),
    ...(forbids
      ? [
          ApiForbiddenResponse({
            description: 'Authenticated, but not allowed',
            schema: {
              example: {
                detail: fastapi
                  ? 'Forbidden'
                  : 'You do not have permission to perform this action.',
              },
            },
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
