import { createRequire } from 'node:module';

/**
 * The `fastify` module that `@nestjs/platform-fastify` itself loads, so values
 * handed to the host's Fastify (a `LogController`, which it checks with
 * `instanceof`) and errors thrown into it come from the same copy. The host's
 * adapter may pin a Fastify other than Gatehouse's own (platform-fastify 11
 * ships 5.11, 12 ships 5.12): a second copy installs beside it, and Fastify
 * refuses a `LogController` of that copy ("logController must be an instance of
 * LogController").
 */
let loaded: typeof import('fastify') | undefined;

/**
 * Resolved on first use, never at import: an Express host has no
 * `@nestjs/platform-fastify`, and then Gatehouse's own Fastify is the one.
 */
export function hostFastify(): typeof import('fastify') {
  if (loaded) return loaded;
  try {
    loaded = createRequire(require.resolve('@nestjs/platform-fastify'))(
      'fastify',
    ) as typeof import('fastify');
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved lazily, see above
    loaded = require('fastify') as typeof import('fastify');
  }
  return loaded;
}
