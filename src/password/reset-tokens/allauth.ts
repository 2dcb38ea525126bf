import type { User } from '../../accounts/user.entity';
import { djangoHashValue } from './django';

/**
 * allauth's `EmailAwarePasswordResetTokenGenerator._make_hash_value` (the generator
 * dj-rest-auth's reset uses when allauth is installed): Django's value followed by the
 * user's addresses, sorted and joined by `|`. Gatehouse keeps one address per user, so
 * this is the user's e-mail: a link mailed to a user who also held secondary allauth
 * addresses does not check (docs/migrating.md).
 */
export function allauthHashValue(user: User, timestamp: number): string {
  return `${djangoHashValue(user, timestamp)}${user.email}`;
}
