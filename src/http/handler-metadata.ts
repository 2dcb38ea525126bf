import type { ExecutionContext } from '@nestjs/common';

/** (controller class → handler → metadata key → value), filled on a route's first request. */
const cache = new WeakMap<object, WeakMap<object, Map<string, unknown>>>();

/**
 * The metadata a handler carries under `key`, else its controller's (Nest's
 * `Reflector.getAllAndOverride`), read once per route: the guards ask on every
 * request, and reflect-metadata's lookup is a measurable share of a fast one.
 */
export function handlerMetadata<T>(key: string, context: ExecutionContext): T | undefined {
  const type = context.getClass();
  const handler = context.getHandler();
  let handlers = cache.get(type);
  if (!handlers) cache.set(type, (handlers = new WeakMap<object, Map<string, unknown>>()));
  let values = handlers.get(handler);
  if (!values) handlers.set(handler, (values = new Map<string, unknown>()));
  if (!values.has(key)) {
    values.set(
      key,
      (Reflect.getMetadata(key, handler) as T | undefined) ??
        (Reflect.getMetadata(key, type) as T | undefined),
    );
  }
  return values.get(key) as T | undefined;
}
