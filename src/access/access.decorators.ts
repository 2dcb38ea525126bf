import { applyDecorators, SetMetadata } from '@nestjs/common';
import { NO_AUTHENTICATION_ROUTE_CONFIG, RouteConfigEntry } from '../http/route-config';

export type AccessLevel = 'public' | 'authenticated' | 'staff' | 'superuser';
export const ACCESS_LEVEL = 'gatehouse:access-level';

export interface PublicOptions {
  /**
   * DRF authenticates before every view, open ones too: a credential sent to a
   * route open to anyone is still checked (an invalid one is the scheme's 401).
   * `false` for views with `authentication_classes = ()` — SimpleJWT's token
   * views — and for what is no DRF view at all (health, JWKS).
   */
  authenticates?: boolean;
}

/**
 * Who may call a route: the guard's metadata. Every route is `authenticated`
 * unless it says otherwise: the guard is global, so forgetting a decorator fails
 * closed. The document's security entry and 401/403 bodies follow from the level
 * and the surface's dialect (`@SurfaceDialect()`), so the two never disagree.
 */
export const Public = ({ authenticates = true }: PublicOptions = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_LEVEL, 'public' satisfies AccessLevel),
    ...(authenticates ? [] : [RouteConfigEntry(NO_AUTHENTICATION_ROUTE_CONFIG, true)]),
  );
export const Authenticated = () => SetMetadata(ACCESS_LEVEL, 'authenticated' satisfies AccessLevel);
/** Django's `is_staff` (DRF's IsAdminUser), e.g. the admin endpoints. */
export const Staff = () => SetMetadata(ACCESS_LEVEL, 'staff' satisfies AccessLevel);
/** fastapi-users' superuser routes. */
export const Superuser = () => SetMetadata(ACCESS_LEVEL, 'superuser' satisfies AccessLevel);
