/** A value at hand, or the promise of one. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * `then` for a value that is usually at hand (a cache hit): `next` runs at once
 * and no promise is made; a promise is chained as usual. On the authentication
 * hot path each promise also runs the request context's async hooks.
 */
export function whenReady<T, R>(
  value: MaybePromise<T>,
  next: (value: T) => R,
): MaybePromise<Awaited<R>> {
  if (value instanceof Promise) return value.then(next) as Promise<Awaited<R>>;
  return next(value) as MaybePromise<Awaited<R>>;
}
