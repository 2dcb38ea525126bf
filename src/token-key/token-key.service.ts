import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../infra/crypto/sha256';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { MissedIdentities } from '../accounts/missed-identities';
import { CompiledLookup } from '../database/compiled-lookup';
import { rehearseSave } from '../database/rehearsal';
import type { User } from '../accounts/user.entity';
import type { MaybePromise } from '../infra/when-ready';
import { AuthCache, type CachedTokenKey } from '../access/auth-cache.service';
import { GatehouseEvent, type TokenKeyCreatedEvent, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { TokenKey } from './token-key.entity';

const PREFIX_LENGTH = 8;
/** `last_used` is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** What a new key is called, and where it is minted from (for the `token.key_created` event). */
export interface MintOptions extends Pick<TokenKeyCreatedEvent, 'via' | 'surface'> {
  name?: string | null;
  /** The session the key belongs to; by default a new one (a key is a login). */
  sessionId?: string;
  /** RFC 8176 methods of a login that took a second factor, for the new session. */
  amr?: readonly string[];
}

export interface MintedKey {
  /** The clear key: 40 hex characters, as DRF's authtoken makes them. Shown once. */
  key: string;
  record: TokenKey;
}

/** Persistent `Token` keys: minted at login, valid until revoked, never stored in clear. */
@Injectable()
export class TokenKeyService implements OnModuleInit {
  /** Keys by prefix, on every key-cache miss: compiled once (see CompiledLookup). */
  private readonly byPrefix: CompiledLookup<TokenKey>;

  constructor(
    @InjectRepository(TokenKey) private readonly keys: Repository<TokenKey>,
    private readonly cache: AuthCache,
    private readonly missed: MissedIdentities,
    private readonly events: GatehouseEvents,
    private readonly sessions: SessionsService,
  ) {
    this.byPrefix = new CompiledLookup(keys, (column, value) => `${column('prefix')} = ${value}`);
  }

  async mint(
    user: User,
    { name = null, via, surface, sessionId, amr }: MintOptions = {},
  ): Promise<MintedKey> {
    const key = randomBytes(20).toString('hex');
    const session =
      sessionId ??
      (await this.sessions.start(user, { kind: 'token', surface: surface ?? via ?? 'cli', amr }))
        .id;
    const record = await this.keys.save(
      this.keys.create({
        userId: user.id,
        sessionId: session,
        ...storedKeyFields(key),
        name,
        created: new Date(),
        lastUsed: null,
      }),
    );
    await this.events.emit(GatehouseEvent.tokenKeyCreated, { ...userRef(user), via, surface });
    return { key, record };
  }

  /**
   * `mint`'s work for a user not saved (a sign-up refused for a taken address): the
   * session's INSERT, the key, its digest and its INSERT, rehearsed (see
   * `rehearseSave`), writing nothing. Answers the session id, for the login's pair.
   */
  async rehearseMint({ via, surface }: Pick<MintOptions, 'via' | 'surface'> = {}): Promise<string> {
    const sessionId = await this.sessions.rehearseStart({
      kind: 'token',
      surface: surface ?? via ?? 'cli',
    });
    const key = randomBytes(20).toString('hex');
    await rehearseSave(
      this.keys,
      this.keys.create({
        userId: 0,
        sessionId,
        ...storedKeyFields(key),
        name: null,
        created: new Date(),
        lastUsed: null,
      }),
    );
    return sessionId;
  }

  /**
   * The key a request presents (its id and user), through the auth cache: a
   * warm lookup reads no database (and so does not move `last_used`). `onMiss`
   * wraps the database read of a miss (the Token strategy runs it in the request's context).
   */
  findForRequest(
    key: string,
    onMiss: (find: () => Promise<TokenKey | null>) => Promise<TokenKey | null> = (find) => find(),
  ): MaybePromise<CachedTokenKey | null> {
    if (!/^[0-9a-f]{40}$/.test(key)) return null;
    return this.cache.tokenKey(sha256Hex(key), () => onMiss(() => this.find(key)));
  }

  /** The stored key matching a clear key, compared in constant time. */
  async find(key: string): Promise<TokenKey | null> {
    if (!/^[0-9a-f]{40}$/.test(key)) return null;
    const digest = Buffer.from(sha256Hex(key), 'hex');
    const match = await this.missed.orImported({ tokenKey: key }, async () => {
      const candidates = await this.byPrefix.findAll(key.slice(0, PREFIX_LENGTH));
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

  onModuleInit(): void {
    // A key is its session: ending the session deletes the key.
    this.sessions.onEnded(async (userId, sessionIds, all) => {
      if (all) await this.revokeAllFor(userId);
      else await this.keys.delete({ sessionId: In(sessionIds) });
    });
  }

  /** Revokes a key (a logout): its session ends with it, access JWTs sharing it included. */
  async revoke(id: number): Promise<void> {
    const record = await this.keys.findOneBy({ id });
    await this.keys.delete({ id });
    await this.cache.invalidate({ kind: 'token-key', keyId: id });
    if (record?.sessionId) await this.sessions.end(record.userId, record.sessionId, 'logout');
  }

  /** Revokes every key of a user; returns how many. */
  async revokeAllFor(userId: number): Promise<number> {
    const revoked = (await this.keys.delete({ userId })).affected ?? 0;
    await this.cache.invalidate({ kind: 'token-keys-of', userId });
    return revoked;
  }
}

/** How a clear key is kept: its lookup prefix and its SHA-256 (also for keys imported from DRF). */
export function storedKeyFields(key: string): Pick<TokenKey, 'prefix' | 'keySha256'> {
  return { prefix: key.slice(0, PREFIX_LENGTH), keySha256: sha256Hex(key) };
}
