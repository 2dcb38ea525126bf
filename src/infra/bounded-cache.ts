/** An entry, the time (ms since the epoch) it stops being served, and when it was last made recent. */
interface Entry<V> {
  value: V;
  expiresAt: number;
  /** The cache's `tick` when the entry was set or last moved to the end. */
  tick: number;
}

/**
 * A bounded least-recently-used map whose entries may expire: what the hot path's
 * caches need of `lru-cache`, on a `Map` whose insertion order is recency (a set
 * past `max` drops the first entry). A hit moves its entry to the end only when
 * more than `max / 2` sets and moves happened since it was last moved, so an entry
 * used at least that often is never dropped, and a hot entry is re-inserted rarely:
 * moving on every hit makes the `Map` rebuild its table every few hundred hits,
 * garbage the old space keeps until a full GC. `lru-cache` with a TTL cost ~1.5 µs
 * per hit in `npm run bench` (its TTL bookkeeping and timer); this costs a `Map`
 * lookup and a clock read.
 */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, Entry<V>>();
  /** Counts sets and moves: an entry's age in them says whether a hit must move it. */
  private tick = 0;

  /**
   * @param max entries kept (at least 1)
   * @param ttlMs how long an entry is served after it was set; 0: until evicted
   */
  constructor(
    private readonly max: number,
    private readonly ttlMs = 0,
  ) {
    if (!(max >= 1)) throw new RangeError(`a cache keeps at least one entry, not ${max}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (this.ttlMs > 0 && Date.now() >= entry.expiresAt) {
      this.map.delete(key);
      return undefined;
    }
    if (this.tick - entry.tick > this.max / 2) {
      entry.tick = ++this.tick;
      this.map.delete(key);
      this.map.set(key, entry);
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, {
      value,
      expiresAt: this.ttlMs > 0 ? Date.now() + this.ttlMs : Infinity,
      tick: ++this.tick,
    });
    if (this.map.size > this.max) {
      this.map.delete(this.map.keys().next().value as K);
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  /** The live entries, least recently used first (expired ones are skipped, not dropped). */
  *entries(): IterableIterator<[K, V]> {
    const now = Date.now();
    for (const [key, entry] of this.map) {
      if (entry.expiresAt > now) yield [key, entry.value];
    }
  }
}
