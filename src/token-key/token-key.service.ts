import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MissedIdentities } from '../accounts/missed-identities';
import type { User } from '../accounts/user.entity';
import { TokenKey } from './token-key.entity';

const PREFIX_LENGTH = 8;
/** `last_used` is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface MintedKey {
  /** The clear key: 40 hex characters, as DRF's authtoken makes them. Shown once. */
  key: string;
  record: TokenKey;
}

/** Persistent `Token` keys: minted at login, valid until revoked, never stored in clear. */
@Injectable()
export class TokenKeyService {
  constructor(
    @InjectRepository(TokenKey) private readonly keys: Repository<TokenKey>,
    private readonly missed: MissedIdentities,
  ) {}

  async mint(user: User, name: string | null = null): Promise<MintedKey> {
    const key = randomBytes(20).toString('hex');
    const record = await this.keys.save(
      this.keys.create({
        userId: user.id,
        ...storedKeyFields(key),
        name,
        created: new Date(),
        lastUsed: null,
      }),
    );
    return { key, record };
  }

  /** The stored key matching a clear key, compared in constant time. */
  async find(key: string): Promise<TokenKey | null> {
    if (!/^[0-9a-f]{40}$/.test(key)) return null;
    const digest = Buffer.from(sha256(key), 'hex');
    const match = await this.missed.orImported({ tokenKey: key }, async () => {
      const candidates = await this.keys.findBy({ prefix: key.slice(0, PREFIX_LENGTH) });
      return (
        candidates.find((c) => timingSafeEqual(Buffer.from(c.keySha256, 'hex'), digest)) ?? null
      );
    });
    if (
      match &&
      (!match.lastUsed || Date.now() - match.lastUsed.getTime() > LAST_USED_RESOLUTION_MS)
    ) {
      match.lastUsed = new Date();
      await this.keys.update(match.id, { lastUsed: match.lastUsed });
    }
    return match;
  }

  async revoke(id: number): Promise<void> {
    await this.keys.delete({ id });
  }

  /** Revokes every key of a user; returns how many. */
  async revokeAllFor(userId: number): Promise<number> {
    return (await this.keys.delete({ userId })).affected ?? 0;
  }
}

/** How a clear key is kept: its lookup prefix and its SHA-256 (also for keys imported from DRF). */
export function storedKeyFields(key: string): Pick<TokenKey, 'prefix' | 'keySha256'> {
  return { prefix: key.slice(0, PREFIX_LENGTH), keySha256: sha256(key) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
