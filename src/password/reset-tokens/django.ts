import type { User } from '../../accounts/user.entity';

/**
 * Django's `PasswordResetTokenGenerator._make_hash_value`: the pk, the password hash,
 * the last login to the second (as `str(datetime)` writes it), the timestamp and the
 * e-mail, so a link dies when any of them changes.
 */
export function djangoHashValue(user: User, timestamp: number): string {
  const login = user.lastLogin ? user.lastLogin.toISOString().slice(0, 19).replace('T', ' ') : '';
  return `${user.id}${user.password}${login}${timestamp}${user.email}`;
}
