import { Injectable } from '@nestjs/common';
import type { User } from '../accounts/user.entity';

/** Claims SimpleJWT, fastapi-users and Gatehouse (`sid`, the session; `amr`, after a second factor) define; a claims provider cannot override them. */
export const RESERVED_CLAIMS = [
  'token_type',
  'exp',
  'iat',
  'jti',
  'user_id',
  'sub',
  'aud',
  'sid',
  'amr',
] as const;

/**
 * The custom-claims hook: what a token carries beyond the standard claims.
 * The default adds nothing. Enterprise code provides its own subclass:
 * `{ provide: JwtClaimsProvider, useClass: MyClaims }`.
 */
@Injectable()
export class JwtClaimsProvider {
  claimsFor(_user: User): Record<string, unknown> | Promise<Record<string, unknown>> {
    return {};
  }
}

/** Seed 000's sample token: `scopes`, `is_staff`, `is_superuser` (JWT_CLAIMS=dstoq). */
@Injectable()
export class DstoqClaimsProvider extends JwtClaimsProvider {
  override claimsFor(user: User): Record<string, unknown> {
    const scopes = [
      'user',
      ...(user.isStaff ? ['staff'] : []),
      ...(user.isSuperuser ? ['superuser'] : []),
    ];
    return { scopes, is_staff: user.isStaff, is_superuser: user.isSuperuser };
  }
}
