import { createHash } from 'node:crypto';
import type { ImportedUser } from '../accounts/users.service';
import type { LegacySourceName } from './legacy-import.entity';

/** A refresh token SimpleJWT recorded (token_blacklist), with its blacklisting if any. */
export interface LegacyRefreshToken {
  jti: string;
  /** The whole token as SimpleJWT stored it; only its SHA-256 is kept. */
  token: string;
  createdAt: Date;
  expiresAt: Date;
  blacklistedAt: Date | null;
}

/** One user of a legacy database with what its clients hold. */
export interface LegacyIdentity {
  source: LegacySourceName;
  /** Django's pk or fastapi-users' UUID: how reports and the import log name the row. */
  sourceId: string;
  /** Without `uuid` for Django rows (kept, or made, by the import). */
  user: Omit<ImportedUser, 'uuid'> & { uuid?: string };
  /** DRF authtoken keys, in clear as DRF keeps them. */
  tokenKeys: { key: string; created: Date }[];
  refreshTokens: LegacyRefreshToken[];
}

/** A row the import cannot take, and why (reported with its source id, never imported half). */
export interface SkippedRow {
  sourceId: string;
  reason: string;
}

export type LegacyRead = LegacyIdentity | SkippedRow;

export function isSkipped(read: LegacyRead): read is SkippedRow {
  return 'reason' in read;
}

/**
 * What decides whether a re-import changes a user: the source row's fields and
 * its keys. Refresh-token rows are re-applied on every run (idempotently) instead.
 */
export function identityDigest(identity: LegacyIdentity): string {
  const keys = identity.tokenKeys.map((k) => k.key).sort();
  return createHash('sha256')
    .update(JSON.stringify([identity.user, keys]))
    .digest('hex');
}
