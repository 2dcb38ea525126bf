import { ROUTE_CONFIG_METADATA } from './http-seam';

/**
 * Adds one entry to the Fastify route config of a handler, or of every handler of
 * a class. What runs before a handler, or instead of one (body parsing, a 405 on
 * the path), reads the route's facts from there.
 */
export const RouteConfigEntry =
  (key: string, value: unknown): ClassDecorator & MethodDecorator =>
  (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (descriptor) {
      addEntry(descriptor.value as object, key, value);
      return;
    }
    // Class decorators run after method decorators: every handler exists by now.
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (name !== 'constructor' && typeof handler === 'function') addEntry(handler, key, value);
    }
  };

function addEntry(handler: object, key: string, value: unknown): void {
  const config = (Reflect.getMetadata(ROUTE_CONFIG_METADATA, handler) ?? {}) as object;
  Reflect.defineMetadata(ROUTE_CONFIG_METADATA, { ...config, [key]: value }, handler);
}
