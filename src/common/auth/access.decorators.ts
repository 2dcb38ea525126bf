import { SetMetadata } from '@nestjs/common';

export type AccessLevel = 'public' | 'authenticated' | 'staff' | 'superuser';
export const ACCESS_LEVEL = 'gatehouse:access-level';

/**
 * Who may call a route. Every route is `authenticated` unless it says otherwise:
 * the guard is global, so forgetting a decorator fails closed.
 */
export const Public = () => SetMetadata(ACCESS_LEVEL, 'public' satisfies AccessLevel);
export const Authenticated = () => SetMetadata(ACCESS_LEVEL, 'authenticated' satisfies AccessLevel);
/** Django's `is_staff` (DRF's IsAdminUser), e.g. seed 004's `*` admin endpoints. */
export const Staff = () => SetMetadata(ACCESS_LEVEL, 'staff' satisfies AccessLevel);
/** fastapi-users' superuser routes. */
export const Superuser = () => SetMetadata(ACCESS_LEVEL, 'superuser' satisfies AccessLevel);
