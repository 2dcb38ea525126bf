import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** What a hit on a counter says: refused past the limit, and for how long. */
export interface ThrottleHit {
  allowed: boolean;
  /** Seconds until the window ends (and the count starts over). */
  retryAfter: number;
}

/** What a count holds now: its hits in the current window, and the seconds until it ends. */
export interface ThrottleCount {
  hits: number;
  retryAfter: number;
}

/** Fixed-window counters: `limit` hits per `windowMs`, per key. */
export interface ThrottleStore {
  hit(key: string, limit: number, windowMs: number): Promise<ThrottleHit>;
  /** The counts as they stand, without a hit (0 hits for a window that has ended or never began). */
  peek(keys: readonly string[]): Promise<ThrottleCount[]>;
}

export const THROTTLE_STORE = Symbol('THROTTLE_STORE');

/** Counters in this process: the single-instance default. */
export class MemoryThrottleStore implements ThrottleStore, OnModuleDestroy {
  private readonly windows = new Map<string, { hits: number; endsAt: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  hit(key: string, limit: number, windowMs: number): Promise<ThrottleHit> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.hits++;
    return Promise.resolve({
      allowed: window.hits <= limit,
      retryAfter: Math.max(1, Math.ceil((window.endsAt - now) / 1000)),
    });
  }

  peek(keys: readonly string[]): Promise<ThrottleCount[]> {
    const now = Date.now();
    return Promise.resolve(
      keys.map((key) => {
        const window = this.windows.get(key);
        if (!window || window.endsAt <= now) return { hits: 0, retryAfter: 0 };
        return {
          hits: window.hits,
          retryAfter: Math.max(1, Math.ceil((window.endsAt - now) / 1000)),
        };
      }),
    );
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}

/** INCR with the window set on the first hit, atomically: the hit count and the window's rest. */
const HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}
`;

/** Each key's hits and the rest of its window, read in one round trip. */
const PEEK = `
local counts = {}
for i, key in ipairs(KEYS) do
  counts[2 * i - 1] = tonumber(redis.call('GET', key) or '0')
  counts[2 * i] = redis.call('PTTL', key)
end
return counts
`;

/**
 * Counters in Redis (REDIS_URL), shared by every instance, on the shared
 * fail-fast connection (RedisModule). While Redis cannot be reached this
 * instance counts in memory, rather than failing or holding logins.
 */
export class RedisThrottleStore implements ThrottleStore, OnModuleDestroy {
  private readonly fallback = new MemoryThrottleStore();
  private readonly logger = new Logger('RedisThrottleStore');
  private counting = 'in Redis';

  /** `prefix`: REDIS_PREFIX, so deployments sharing a Redis keep their own counts. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, limit: number, windowMs: number): Promise<ThrottleHit> {
    try {
      const [hits, ttl] = (await this.redis.eval(
        HIT,
        1,
        `${this.prefix}:throttle:${key}`,
        windowMs,
      )) as [number, number];
      this.countingIn('in Redis');
      return { allowed: hits <= limit, retryAfter: Math.max(1, Math.ceil(ttl / 1000)) };
    } catch {
      this.countingIn('in memory');
      return this.fallback.hit(key, limit, windowMs);
    }
  }

  async peek(keys: readonly string[]): Promise<ThrottleCount[]> {
    try {
      const counts = (await this.redis.eval(
        PEEK,
        keys.length,
        ...keys.map((key) => `${this.prefix}:throttle:${key}`),
      )) as number[];
      this.countingIn('in Redis');
      return keys.map((_key, i) => {
        const [hits, ttl] = [counts[2 * i], counts[2 * i + 1]];
        return ttl > 0
          ? { hits, retryAfter: Math.max(1, Math.ceil(ttl / 1000)) }
          : { hits: 0, retryAfter: 0 };
      });
    } catch {
      this.countingIn('in memory');
      return this.fallback.peek(keys);
    }
  }

  /** Logs where counts go when that changes: once per outage, not once per request. */
  private countingIn(where: string): void {
    if (where === this.counting) return;
    this.counting = where;
    if (where === 'in memory')
      this.logger.warn('Redis unavailable: counting per instance, in memory');
    else this.logger.log('Redis is back: counts are shared again');
  }

  onModuleDestroy(): void {
    this.fallback.onModuleDestroy();
  }
}
