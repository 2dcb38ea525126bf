import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { GatehouseConfig } from '../config/gatehouse-config';
import type { AuthUser } from './auth-scheme';
import { BoundedCache } from '../infra/bounded-cache';
import { REDIS } from '../infra/redis/redis.module';

/** What a Token-key lookup keeps: enough to find the user, and to drop it on revocation. */
export interface CachedTokenKey {
  id: number;
  userId: number;
  /** The session the key is (auth_sessions), null for a key no session was made for. */
  sessionId: string | null;
}

/** A change that makes cached entries wrong, as published to the other instances. */
export type AuthCacheInvalidation =
  | { kind: 'user'; userId: number }
  | { kind: 'token-key'; keyId: number }
  | { kind: 'token-keys-of'; userId: number }
  /** Sessions ended: refused from now on, their cached keys and the user dropped. */
  | { kind: 'sessions-ended'; userId: number; sessionIds: string[] };

/**
 * The per-instance cache of the authentication hot path: users by id and Token
 * keys by digest, in bounded LRUs whose entries live USER_CACHE_TTL seconds, so a
 * warm authenticated request reads no database. Whatever changes a user or
 * revokes a key calls `invalidate`: the entry goes at once here, and, with
 * REDIS_URL, on every instance (pub/sub); without Redis, or while Redis is
 * away, other instances serve it at most USER_CACHE_TTL longer.
 */
@Injectable()
export class AuthCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AuthCache.name);
  private readonly users?: BoundedCache<number, AuthUser>;
  private readonly keys?: BoundedCache<string, CachedTokenKey>;
  /** Bumped by every invalidation: a load that started before one is not cached. */
  private generation = 0;
  private readonly origin = randomUUID();
  /** Under REDIS_PREFIX: deployments sharing a Redis do not hear each other's changes. */
  private readonly channel: string;
  private publisher?: Redis;
  private subscriber?: Redis;
  private redisDown = false;
  /**
   * Ended sessions (id → when it ended, ms): every authenticated request checks its
   * session against it, with no database read. Kept as long as a credential of an
   * ended session could still verify; SessionsService re-reads it periodically.
   */
  private readonly endedSessions = new Map<string, number>();

  constructor(
    private readonly config: GatehouseConfig,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {
    this.channel = `${config.redisPrefix}:auth-cache:invalidate`;
    const { size, ttlSeconds } = config.userCache;
    if (ttlSeconds > 0) {
      this.users = new BoundedCache<number, AuthUser>(size, ttlSeconds * 1000);
      this.keys = new BoundedCache<string, CachedTokenKey>(size, ttlSeconds * 1000);
    }
  }

  async onModuleInit(): Promise<void> {
    // Subscribed even with the user cache off: session revocations travel the same channel.
    if (!this.redis) return;
    // Publishes go through the shared fail-fast connection: while Redis is away a
    // publish fails at once (and is logged) instead of holding the request that
    // made the change. The subscriber is a connection of its own.
    this.publisher = this.redis;
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, lazyConnect: true });
    this.subscriber = subscriber;
    for (const connection of [this.publisher, subscriber]) {
      connection.on('error', (error: Error) => this.down(error));
      connection.on('ready', () => this.up());
    }
    subscriber.on('message', (_channel: string, message: string) => this.receive(message));
    // On every (re)connection, including one after Redis was away at boot.
    subscriber.on('ready', () => void subscriber.subscribe(this.channel).catch(() => undefined));
    try {
      await subscriber.connect();
      await subscriber.subscribe(this.channel);
    } catch (error) {
      // Serve anyway: other instances' changes reach this one within USER_CACHE_TTL.
      this.down(error as Error);
    }
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
  }

  /**
   * The user of an id: at once from the cache (no promise on the warm path),
   * else a promise of `load`'s answer (misses are not cached). Every entry of an
   * id came from the one loader of users, so it is of that loader's type.
   */
  user<TUser extends AuthUser>(
    id: number,
    load: () => Promise<TUser | null>,
  ): TUser | Promise<TUser | null> {
    const cached = this.users?.get(id) as TUser | undefined;
    if (cached) return cached;
    const generation = this.generation;
    return load().then((user) => {
      if (user && this.users && generation === this.generation) this.users.set(id, user);
      return user;
    });
  }

  /** The Token key of a digest: at once from the cache, else a promise of `load`'s (unknown keys are not cached). */
  tokenKey(
    digest: string,
    load: () => Promise<CachedTokenKey | null>,
  ): CachedTokenKey | Promise<CachedTokenKey | null> {
    const cached = this.keys?.get(digest);
    if (cached) return cached;
    const generation = this.generation;
    return load().then((key) => {
      if (key && this.keys && generation === this.generation) {
        this.keys.set(digest, { id: key.id, userId: key.userId, sessionId: key.sessionId });
      }
      return key;
    });
  }

  /** Drops what a change made wrong, here at once and on every instance through Redis. */
  async invalidate(change: AuthCacheInvalidation): Promise<void> {
    this.apply(change);
    if (!this.publisher) return;
    try {
      await this.publisher.publish(this.channel, JSON.stringify({ origin: this.origin, change }));
    } catch (error) {
      this.down(error as Error);
    }
  }

  /** Whether a session has been ended (here or, through Redis, on another instance). */
  isSessionEnded(sessionId: string): boolean {
    return this.endedSessions.has(sessionId);
  }

  /**
   * Records sessions ended as read from the database (the periodic safety net) and
   * forgets those ended before `forgetBefore` (ms): their credentials have expired.
   */
  rememberEndedSessions(ended: Iterable<[string, number]>, forgetBefore?: number): void {
    for (const [id, at] of ended) this.endedSessions.set(id, at);
    if (forgetBefore === undefined) return;
    for (const [id, at] of this.endedSessions) if (at < forgetBefore) this.endedSessions.delete(id);
  }

  private apply(change: AuthCacheInvalidation): void {
    this.generation++;
    if (change.kind === 'sessions-ended') {
      const now = Date.now();
      for (const id of change.sessionIds) this.endedSessions.set(id, now);
    }
    if (!this.users || !this.keys) return;
    if (change.kind === 'user' || change.kind === 'sessions-ended')
      this.users.delete(change.userId);
    for (const [digest, key] of this.keys.entries()) {
      if (
        (change.kind === 'token-key' && key.id === change.keyId) ||
        (change.kind === 'token-keys-of' && key.userId === change.userId) ||
        (change.kind === 'user' && key.userId === change.userId) ||
        (change.kind === 'sessions-ended' &&
          key.sessionId !== null &&
          change.sessionIds.includes(key.sessionId))
      ) {
        this.keys.delete(digest);
      }
    }
  }

  private receive(message: string): void {
    try {
      const { origin, change } = JSON.parse(message) as {
        origin: string;
        change: AuthCacheInvalidation;
      };
      if (origin !== this.origin) this.apply(change);
    } catch {
      this.logger.warn('ignored a malformed cache invalidation message');
    }
  }

  private down(error: Error): void {
    if (this.redisDown) return;
    this.redisDown = true;
    this.logger.warn(
      `Redis unavailable (${error.message}): serving on; changes made elsewhere reach this ` +
        `instance within USER_CACHE_TTL=${this.config.userCache.ttlSeconds}s`,
    );
  }

  private up(): void {
    if (!this.redisDown) return;
    this.redisDown = false;
    this.logger.log('Redis available again: cache invalidations are shared');
  }
}
