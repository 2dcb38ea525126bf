import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';

export type AccessLevel = 'public' | 'authenticated' | 'staff' | 'superuser';
export const ACCESS_LEVEL = 'gatehouse:access-level';

/** The header schemes every protected route accepts, as the document names them. */
// Made afresh per use: @nestjs/swagger's decorators keep state per instance.
const security = () => [ApiSecurity('JWT'), ApiSecurity('Bearer'), ApiSecurity('Token')];

const unauthorized = ApiUnauthorizedResponse({
  description: 'No, or invalid, credentials',
  schema: { example: { detail: 'Authentication credentials were not provided.' } },
});
const forbidden = ApiForbiddenResponse({
  description: 'Authenticated, but not allowed',
  schema: { example: { detail: 'You do not have permission to perform this action.' } },
});

/**
 * Who may call a route: the guard's metadata and the document's security entry
 * set together, so the two never disagree. Every route is `authenticated` unless
 * it says otherwise: the guard is global, so forgetting a decorator fails closed.
 */
export const Public = () => SetMetadata(ACCESS_LEVEL, 'public' satisfies AccessLevel);
export const Authenticated = () =>
  applyDecorators(
    SetMetadata(ACCESS_LEVEL, 'authenticated' satisfies AccessLevel),
    ...security(),
    unauthorized,
  );
/** Django's `is_staff` (DRF's IsAdminUser), e.g. seed 004's `*` admin endpoints. */
export const Staff = () =>
  applyDecorators(
    SetMetadata(ACCESS_LEVEL, 'staff' satisfies AccessLevel),
    ...security(),
    unauthorized,
    forbidden,
  );
/** fastapi-users' superuser routes. */
export const Superuser = () =>
  applyDecorators(
    SetMetadata(ACCESS_LEVEL, 'superuser' satisfies AccessLevel),
    ...security(),
    unauthorized,
    forbidden,
  );
