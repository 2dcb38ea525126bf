import { SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { OAUTH2_SCHEME } from '../../docs/docs.setup';
import { DrfResponse, FastApiResponse } from '../../docs/responses';
import type { Dialect } from '../errors/dialect.decorators';
import { DRF_MESSAGES } from '../errors/drf.exception';

export type AccessLevel = 'public' | 'authenticated' | 'staff' | 'superuser';
export const ACCESS_LEVEL = 'gatehouse:access-level';

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
function documented(dialect: Dialect, forbids: boolean) {
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
  if (level === undefined || level === 'public') return;
  for (const decorate of documented(dialect, level !== 'authenticated')) {
    if (descriptor) (decorate as MethodDecorator)(target, '', descriptor);
    else (decorate as ClassDecorator)(target as new () => unknown);
  }
}

/**
 * Who may call a route: the guard's metadata. Every route is `authenticated`
 * unless it says otherwise: the guard is global, so forgetting a decorator fails
 * closed. The document's security entry and 401/403 bodies follow from the level
 * and the surface's dialect (`@SurfaceDialect()`), so the two never disagree.
 */
export const Public = () => SetMetadata(ACCESS_LEVEL, 'public' satisfies AccessLevel);
export const Authenticated = () => SetMetadata(ACCESS_LEVEL, 'authenticated' satisfies AccessLevel);
/** Django's `is_staff` (DRF's IsAdminUser), e.g. the admin endpoints. */
export const Staff = () => SetMetadata(ACCESS_LEVEL, 'staff' satisfies AccessLevel);
/** fastapi-users' superuser routes. */
export const Superuser = () => SetMetadata(ACCESS_LEVEL, 'superuser' satisfies AccessLevel);
