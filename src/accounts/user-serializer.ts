import { Injectable } from '@nestjs/common';
import type { User } from './user.entity';

/**
 * The user representations a serializer can extend:
 * `user-details` — dj-rest-auth's `/auth/user/`, `/authentication/user/` and login's `user`;
 * `fastapi-users` — `/users/me`, `/users/{id}`, register and verify;
 * `trading-info` — seed 000's `/core/accounts/accounts/me/`.
 */
export type UserRepresentation = 'user-details' | 'fastapi-users' | 'trading-info';

/**
 * The extension point for what the user endpoints show and accept beyond
 * Gatehouse's own fields, like a DRF serializer subclass. Provide a subclass
 * (`GatehouseModule.forRoot({ userSerializer })`): `represent` adds fields to the
 * answer, `update` writes extra fields of a PUT/PATCH body (typically to the
 * consumer's own entity related one-to-one to `User`). The built-in fields are
 * validated and saved first; `update` sees the raw body and refuses bad input
 * with a domain error (`FieldErrors.of('department', 'invalid', '…')`), which
 * every surface renders in its own dialect.
 */
@Injectable()
export class UserSerializer {
  /** The representation to answer: `base` (Gatehouse's fields, in the seed's order) plus any of yours. */
  represent<T extends object>(
    _user: User,
    base: T,
    _representation: UserRepresentation,
  ): T | Promise<T> {
    return base;
  }

  update(
    _user: User,
    _body: Record<string, unknown>,
    _representation: UserRepresentation,
  ): void | Promise<void> {}
}
