import { jest } from '@jest/globals';
import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  afterEach(() => jest.useRealTimers());

  it('drops the least recently used entry past its bound; a hit makes an old entry recent', () => {
    const cache = new BoundedCache<string, number>(4);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) cache.set(key, i);
    expect(cache.get('a')).toBe(0); // a was the oldest; b is now
    cache.set('e', 4);
    expect(cache.get('b')).toBeUndefined();
    expect([...cache.entries()].map(([key]) => key)).toEqual(['c', 'd', 'a', 'e']);
    expect(cache.size).toBe(4);
  });

  it('keeps an entry used at least once every max / 2 sets, however many come', () => {
    const cache = new BoundedCache<number, number>(10);
    cache.set(-1, -1);
    for (let i = 0; i < 1000; i++) {
      cache.set(i, i);
      expect(cache.get(-1)).toBe(-1);
    }
    expect(cache.size).toBe(10);
  });

  it('stops serving an entry its TTL after it was set, and forgets it', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const cache = new BoundedCache<string, number>(10, 1000);
    cache.set('a', 1);
    jest.setSystemTime(1_000_999);
    expect(cache.get('a')).toBe(1);
    jest.setSystemTime(1_001_000);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('a set replaces the value and restarts the TTL', () => {
    jest.useFakeTimers({ now: 0 });
    const cache = new BoundedCache<string, number>(10, 1000);
    cache.set('a', 1);
    jest.setSystemTime(900);
    cache.set('a', 2);
    jest.setSystemTime(1500);
    expect(cache.get('a')).toBe(2);
    expect(cache.size).toBe(1);
  });

  it('lists live entries, and may be cleared or have entries deleted while listing', () => {
    const cache = new BoundedCache<string, number>(10);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    for (const [key, value] of cache.entries()) if (value % 2 === 1) cache.delete(key);
    expect([...cache.entries()]).toEqual([['b', 2]]);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('refuses a bound under one', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });
});
