import { createHash } from 'node:crypto';

/**
 * The hex SHA-256 of `text`: how a high-entropy secret is kept at rest and looked
 * up (Token keys, dashboard sessions, refresh tokens, `mfa_token`s), where a slow
 * hash would buy nothing.
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
